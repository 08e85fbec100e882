using System.Globalization;

namespace Automotech.OpenData.Releases;

/// <summary>Version ids: the run date, then <c>.2</c>, <c>.3</c>… for further releases that day.</summary>
public static class VersionNumbering
{
    public static string Next(IEnumerable<string> existing, DateOnly runDate)
    {
        var day = runDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var sameDay = existing
            .Select(v => v == day ? 1 : v.StartsWith(day + ".", StringComparison.Ordinal) && int.TryParse(v.AsSpan(day.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0)
            .Max();
        return sameDay == 0 ? day : $"{day}.{(sameDay + 1).ToString(CultureInfo.InvariantCulture)}";
    }
}
