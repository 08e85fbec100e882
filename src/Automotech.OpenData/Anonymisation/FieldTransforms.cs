using System.Globalization;
using Automotech.OpenData.Reference;

namespace Automotech.OpenData.Anonymisation;

/// <summary>
/// The named transforms a field rule can apply (<c>transform:</c> in pipeline.yaml). Each takes
/// the canonical value of the rule's source field, or null when it is missing.
/// </summary>
public static class FieldTransforms
{
    private static readonly Dictionary<string, Func<string?, string?>> Pure = new(StringComparer.Ordinal)
    {
        ["year"] = v => v is null ? null : v[..4],
        ["naf_label"] = v => NafNomenclature.Rev2.FindLabel(v),
        ["naf_division"] = v => v is { Length: >= 2 } ? v[..2] : null,
        ["naf_division_label"] = v => v is { Length: >= 2 } ? $"Division {v[..2]} de la NAF rév. 2 (activité détaillée non diffusée)" : null,
        ["commune_name"] = v => Geography.Occitanie.FindCommune(v)?.Name,
        ["departement_code"] = v => Geography.Occitanie.FindCommune(v)?.DepartementCode,
        ["departement_name"] = v => Geography.Occitanie.FindDepartement(Geography.Occitanie.FindCommune(v)?.DepartementCode)?.Name,
        ["commune_latitude"] = v => Coordinate(Geography.Occitanie.FindCommune(v)?.Latitude),
        ["commune_longitude"] = v => Coordinate(Geography.Occitanie.FindCommune(v)?.Longitude),
        ["departement_latitude"] = v => Coordinate(ChefLieu(v)?.Latitude),
        ["departement_longitude"] = v => Coordinate(ChefLieu(v)?.Longitude),
        ["headcount_band"] = v => HeadcountBands.Of(ParseLong(v)).Code,
        ["headcount_band_label"] = v => HeadcountBands.Of(ParseLong(v)).Label,
        ["scrub"] = v => v is null ? null : TextScrubber.Scrub(v),

        // A value that is, or holds, a personal profile link, an e-mail address or a phone number
        // (a website cell pointing to someone's LinkedIn page), or a click or mailing recipient's
        // identifier (?fbclid=, ?mc_eid=), is not published at all: a marker would not be a URL.
        ["drop_if_personal"] = v => v is null || !string.Equals(TextScrubber.Scrub(v), v, StringComparison.Ordinal) || TextScrubber.HoldsPersonalTracker(v) ? null : v,
    };

    public static IReadOnlyList<string> Known { get; } = [.. Pure.Keys.Append("pseudonymise").Order(StringComparer.Ordinal)];

    public static bool IsKnown(string name) => Known.Contains(name);

    public static Func<string?, string?> Create(string name, Func<Pseudonymiser> pseudonymiser)
    {
        if (name == "pseudonymise")
        {
            var p = pseudonymiser();
            return v => v is null ? null : p.Pseudonymise(v);
        }

        return Pure.TryGetValue(name, out var transform)
            ? transform
            : throw new PipelineException($"Unknown transform '{name}'.");
    }

    /// <summary>The chef-lieu of the commune's département: the point a position is coarsened to at département level.</summary>
    private static Commune? ChefLieu(string? communeCode) =>
        Geography.Occitanie.FindCommune(Geography.Occitanie.FindDepartement(Geography.Occitanie.FindCommune(communeCode)?.DepartementCode)?.ChefLieu);

    private static string? Coordinate(double? value) => value?.ToString("F5", CultureInfo.InvariantCulture);

    private static long? ParseLong(string? v) => v is null ? null : (long)decimal.Parse(v, CultureInfo.InvariantCulture);
}
