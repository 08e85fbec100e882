using Automotech.OpenData.Reference;

namespace Automotech.OpenData.Validation;

/// <summary>A check across several fields of a row, declared under <c>validation.row_checks</c>.</summary>
public sealed class RowCheckDefinition
{
    /// <summary><c>postcode_matches_commune</c> or <c>position_near_commune</c>.</summary>
    public string Check { get; init; } = "";

    public string? Postcode { get; init; }

    public string? Commune { get; init; }

    public string? Latitude { get; init; }

    public string? Longitude { get; init; }

    /// <summary>For <c>position_near_commune</c>: the largest distance to the commune's centroid, in km.</summary>
    public double MaxKm { get; init; } = 20;
}

/// <summary>The cross-field checks: a postcode of its commune, a position near its commune.</summary>
public static class RowChecks
{
    public static IReadOnlyList<string> Known { get; } = ["postcode_matches_commune", "position_near_commune"];

    private static readonly Lazy<Dictionary<string, HashSet<string>>> DepartementsOfPostcode = new(() =>
    {
        var map = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var commune in Geography.Occitanie.Communes.Values)
        {
            foreach (var postcode in commune.PostalCodes)
            {
                if (!map.TryGetValue(postcode, out var departements))
                {
                    map[postcode] = departements = new HashSet<string>(StringComparer.Ordinal);
                }

                departements.Add(commune.DepartementCode);
            }
        }

        return map;
    });

    /// <summary>The fields a definition reads, for the loader's checks.</summary>
    public static IEnumerable<string?> FieldsOf(RowCheckDefinition d) => d.Check switch
    {
        "postcode_matches_commune" => [d.Postcode, d.Commune],
        "position_near_commune" => [d.Latitude, d.Longitude, d.Commune],
        _ => [],
    };

    /// <summary>Null when the postcode belongs to the commune; else the error or warning.</summary>
    public static (string Message, bool IsWarning)? CheckPostcode(string postcode, string communeCode)
    {
        var commune = Geography.Occitanie.FindCommune(communeCode);
        if (commune is null || commune.PostalCodes.Contains(postcode))
        {
            return null; // an unknown commune is reported by its own check
        }

        if (!DepartementsOfPostcode.Value.TryGetValue(postcode, out var departements))
        {
            return ("code postal inconnu dans la région", false);
        }

        return departements.Contains(commune.DepartementCode)
            ? ("code postal d'une autre commune du même département", true)
            : ("code postal d'un autre département que la commune", false);
    }

    /// <summary>Null when the position is within <paramref name="maxKm"/> of the commune's centroid.</summary>
    public static string? CheckPosition(double latitude, double longitude, string communeCode, double maxKm)
    {
        var commune = Geography.Occitanie.FindCommune(communeCode);
        if (commune is null)
        {
            return null;
        }

        var km = DistanceKm(latitude, longitude, commune.Latitude, commune.Longitude);
        return km <= maxKm ? null : $"position à plus de {maxKm.ToString(System.Globalization.CultureInfo.InvariantCulture)} km du centre de la commune";
    }

    /// <summary>Great-circle distance (haversine, mean Earth radius).</summary>
    public static double DistanceKm(double lat1, double lon1, double lat2, double lon2)
    {
        const double radius = 6371.0088;
        static double Rad(double degrees) => degrees * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) + (Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * radius * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
