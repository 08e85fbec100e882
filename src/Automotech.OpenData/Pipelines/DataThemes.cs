namespace Automotech.OpenData.Pipelines;

/// <summary>
/// <c>metadata.themes</c>: concepts of the EU data-theme vocabulary
/// (<c>http://publications.europa.eu/resource/authority/data-theme/</c>), which catalog.jsonld
/// names as each dataset's <c>dcat:theme</c>. The loader refuses a code not listed here: a
/// harvester would not know it. A dataset declaring none is classed <see cref="Default"/>.
/// </summary>
public static class DataThemes
{
    /// <summary>The theme of a dataset whose definition declares none (what every dataset had before themes could be declared).</summary>
    public const string Default = "ECON";

    /// <summary>The vocabulary's namespace: a concept's URI is this followed by its code.</summary>
    public const string Namespace = "http://publications.europa.eu/resource/authority/data-theme/";

    /// <summary>The codes and their French preferred labels, as the vocabulary gives them.</summary>
    private static readonly (string Code, string Label)[] Concepts =
    [
        ("AGRI", "Agriculture, pêche, sylviculture et alimentation"),
        ("ECON", "Économie et finances"),
        ("EDUC", "Éducation, culture et sport"),
        ("ENER", "Énergie"),
        ("ENVI", "Environnement"),
        ("GOVE", "Gouvernement et secteur public"),
        ("HEAL", "Santé"),
        ("INTR", "Questions internationales"),
        ("JUST", "Justice, système juridique et sécurité publique"),
        ("REGI", "Régions et villes"),
        ("SOCI", "Population et société"),
        ("TECH", "Science et technologie"),
        ("TRAN", "Transports"),
    ];

    /// <summary>The codes accepted, with their labels, as the loader's message lists them.</summary>
    public static string Accepted { get; } = string.Join(", ", Concepts.Select(c => $"{c.Code} ({c.Label})"));

    /// <summary>The vocabulary's code for <paramref name="code"/> (case and surrounding blanks aside), or null.</summary>
    public static string? Code(string? code)
    {
        var key = code?.Trim().ToUpperInvariant();
        return Concepts.Any(c => c.Code == key) ? key : null;
    }

    /// <summary>The French label of a code of the vocabulary (<see cref="Code"/>).</summary>
    public static string Label(string code) => Concepts.First(c => c.Code == code).Label;

    /// <summary>The URI of a code of the vocabulary (<see cref="Code"/>), as catalog.jsonld names the concept.</summary>
    public static string Uri(string code) => Namespace + code;

    /// <summary>
    /// A dataset's themes as catalog.jsonld gives them and its pages show them: the codes of the
    /// vocabulary among <paramref name="declared"/> (datapackage.json's <c>themes</c>), each once, in
    /// the order declared; when it names none, <see cref="Default"/>.
    /// </summary>
    public static IReadOnlyList<string> Effective(IReadOnlyList<string>? declared) =>
        declared?.Select(Code).OfType<string>().Distinct(StringComparer.Ordinal).ToList() is { Count: > 0 } codes ? codes : [Default];

    /// <summary>The declared codes, as the vocabulary spells them, each once, in the order declared; null when none is declared.</summary>
    public static List<string>? Normalise(IReadOnlyList<string>? declared) =>
        declared is null ? null : [.. declared.Select(Code).OfType<string>().Distinct(StringComparer.Ordinal)];
}
