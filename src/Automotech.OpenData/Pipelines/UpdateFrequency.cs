namespace Automotech.OpenData.Pipelines;

/// <summary>
/// <c>metadata.update_frequency</c> as catalog.jsonld names it: a concept of the EU frequency
/// vocabulary (<c>http://publications.europa.eu/resource/authority/frequency/</c>). The loader
/// refuses a label not listed here, which the catalogue would otherwise leave out without a word.
/// </summary>
public static class UpdateFrequency
{
    private static readonly (string Code, string[] Labels)[] Concepts =
    [
        ("DAILY", ["quotidienne", "quotidien", "daily"]),
        ("WEEKLY", ["hebdomadaire", "weekly"]),
        ("MONTHLY", ["mensuelle", "mensuel", "monthly"]),
        ("QUARTERLY", ["trimestrielle", "trimestriel", "quarterly"]),
        ("BIANNUAL", ["semestrielle", "semestriel", "semiannual"]),
        ("ANNUAL", ["annuelle", "annuel", "annual"]),
        ("IRREG", ["irrégulière", "irrégulier", "irregular"]),
        ("UPDATE_CONT", ["continue", "en continu", "continuous"]),
    ];

    /// <summary>The labels accepted, as the loader's message lists them.</summary>
    public static string Accepted { get; } = string.Join(", ", Concepts.SelectMany(c => c.Labels));

    /// <summary>The concept's code for a label (case, accents and surrounding blanks aside), or null.</summary>
    public static string? EuCode(string label)
    {
        var key = Fold(label);
        return Concepts.FirstOrDefault(c => c.Labels.Any(l => Fold(l) == key)).Code;
    }

    private static string Fold(string text) =>
        new([.. text.Trim().ToLowerInvariant().Normalize(System.Text.NormalizationForm.FormD)
            .Where(c => System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)]);
}
