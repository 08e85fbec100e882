using System.Globalization;

namespace Automotech.OpenData;

/// <summary>
/// Dates as the cluster and its readers see them: Paris time. A version is named after the
/// Paris date of its run, and pages show Paris times with the zone named.
/// </summary>
public static class PublicationTime
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public static TimeZoneInfo Zone { get; } = FindParis();

    private static string ZoneLabel { get; } = Zone.Id == TimeZoneInfo.Utc.Id ? "UTC" : "heure de Paris";

    public static DateOnly Date(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    /// <summary>"25 novembre 2026 à 18:40 (heure de Paris)".</summary>
    public static string Format(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, Zone).ToString("d MMMM yyyy 'à' HH:mm", French) + $" ({ZoneLabel})";

    public static string Iso(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static TimeZoneInfo FindParis()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        }
        catch (TimeZoneNotFoundException)
        {
            // Without tzdata, UTC keeps outputs deterministic; the zone is named on every page.
            return TimeZoneInfo.Utc;
        }
    }
}
