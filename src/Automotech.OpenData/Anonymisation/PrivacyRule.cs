using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Anonymisation;

/// <summary>One protective rule applied to a published field, for the public privacy report.</summary>
/// <param name="Field">The published field.</param>
/// <param name="Kind">pseudonymise, generalise, coarsen, scrub, withhold.</param>
/// <param name="Scope">tous (every row) or personnes-physiques (natural persons' rows).</param>
/// <param name="Detail">The rule, in words (the transform or bands, never a value).</param>
public sealed record PrivacyRule(string Field, string Kind, string Scope, string Detail)
{
    public const string AllRows = "tous";
    public const string NaturalPersons = "personnes-physiques";

    /// <summary>The protective rules of a pipeline's field rules, in schema order.</summary>
    public static List<PrivacyRule> Of(PipelineDefinition pipeline)
    {
        var rules = new List<PrivacyRule>();
        foreach (var field in pipeline.Schema.FieldNames)
        {
            if (!pipeline.Fields.TryGetValue(field, out var rule))
            {
                continue;
            }

            if (Describe(rule, natural: false) is { } general)
            {
                rules.Add(new PrivacyRule(field, general.Kind, AllRows, general.Detail));
            }

            if (rule.NaturalPerson is { } np && Describe(np, natural: true) is { } natural)
            {
                rules.Add(new PrivacyRule(field, natural.Kind, NaturalPersons, natural.Detail));
            }
        }

        foreach (var step in pipeline.Anonymisation.KAnonymity?.Steps ?? [])
        {
            foreach (var (field, rule) in step.Fields)
            {
                var kind = Describe(rule, natural: true)?.Kind ?? "generalise";
                rules.Add(new PrivacyRule(field, kind, NaturalPersons, $"k-anonymat, étape « {step.Label} »"));
            }
        }

        return rules;
    }

    private static (string Kind, string Detail)? Describe(FieldRule rule, bool natural) => rule switch
    {
        { Drop: true } => ("withhold", "non publié"),
        { Transform: "pseudonymise" } => ("pseudonymise", "HMAC-SHA256 avec une clé secrète"),
        { Transform: "scrub" } => ("scrub", "courriels, téléphones, IBAN, liens personnels, dates de naissance et noms précédés d'une civilité ou d'une fonction remplacés par un marqueur"),
        { Transform: "drop_if_personal" } => ("scrub", "non publié quand c'est un lien vers un profil personnel, un courriel ou un téléphone"),
        { Transform: "headcount_band" or "headcount_band_label" } => ("generalise", "tranches d'effectif de l'INSEE"),
        { Transform: "year" } => ("generalise", "date ramenée à l'année"),
        { Transform: "naf_division" or "naf_division_label" } => ("generalise", "code NAF ramené à la division"),
        { Transform: "commune_latitude" or "commune_longitude" } => ("coarsen", "position ramenée au centre de la commune"),
        { Transform: "departement_latitude" or "departement_longitude" } => ("coarsen", "position ramenée au chef-lieu du département"),
        { Bands: { Count: > 0 } bands } => ("generalise", $"{bands.Count} tranches"),
        { Value: not null, From: null } when natural => ("withhold", "remplacé par une valeur fixe"),
        _ => null,
    };
}
