using System.Collections.Frozen;
using System.Globalization;

namespace Automotech.OpenData.Reference;

/// <summary>A current commune of Occitanie, from INSEE's official geographic code.</summary>
public sealed record Commune(
    string Code,
    string Name,
    string DepartementCode,
    IReadOnlyList<string> PostalCodes,
    int Population,
    double Latitude,
    double Longitude);

/// <summary>A département of Occitanie. Codes are strings: "09", and elsewhere "2A".</summary>
public sealed record Departement(string Code, string Name, string ChefLieu, string RegionCode);

/// <summary>
/// The official geography the pipeline validates against and coarsens positions to:
/// the 13 départements and 4,446 communes of region 76, embedded from reference/.
/// </summary>
public sealed class Geography
{
    private static readonly Lazy<Geography> Lazy = new(Load);

    private Geography(FrozenDictionary<string, Commune> communes, FrozenDictionary<string, Departement> departements)
    {
        Communes = communes;
        Departements = departements;
    }

    /// <summary>The region this geography covers (INSEE region code).</summary>
    public static string RegionCode => "76";

    public static Geography Occitanie => Lazy.Value;

    public FrozenDictionary<string, Commune> Communes { get; }

    public FrozenDictionary<string, Departement> Departements { get; }

    public Commune? FindCommune(string? code) =>
        code is not null && Communes.TryGetValue(code, out var commune) ? commune : null;

    public Departement? FindDepartement(string? code) =>
        code is not null && Departements.TryGetValue(code, out var departement) ? departement : null;

    private static Geography Load()
    {
        var departements = ReferenceFiles.ReadCsv("departements-occitanie.csv")
            .Select(r => new Departement(r("code_departement"), r("nom_departement"), r("chef_lieu"), r("code_region")))
            .ToFrozenDictionary(d => d.Code, StringComparer.Ordinal);
        var communes = ReferenceFiles.ReadCsv("communes-occitanie.csv")
            .Select(r => new Commune(
                r("code_commune"),
                r("nom_commune"),
                r("code_departement"),
                r("codes_postaux").Split(' ', StringSplitOptions.RemoveEmptyEntries),
                int.Parse(r("population"), CultureInfo.InvariantCulture),
                double.Parse(r("latitude"), CultureInfo.InvariantCulture),
                double.Parse(r("longitude"), CultureInfo.InvariantCulture)))
            .ToFrozenDictionary(c => c.Code, StringComparer.Ordinal);
        return new Geography(communes, departements);
    }
}
