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

    /// <summary>"25 novembre 2026 à 18:40 (heure de Paris)", "1er décembre 2026 à 09:05 (heure de Paris)".</summary>
    public static string Format(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Zone);
        return LongDate(DateOnly.FromDateTime(local.DateTime)) + local.ToString(" 'à' HH:mm", French) + $" ({ZoneLabel})";
    }

    /// <summary>"25 novembre 2026"; French writes the first of the month as an ordinal: "1er décembre 2026".</summary>
    public static string LongDate(DateOnly date) =>
        (date.Day == 1 ? "1er" : date.Day.ToString(CultureInfo.InvariantCulture)) + date.ToString(" MMMM yyyy", French);

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
