using System.Globalization;

namespace Automotech.OpenData.Sources;

/// <summary>
/// Excel cell values as canonical text: cell references, numbers without exponent or trailing
/// ".0", and date serials as ISO dates in either date system.
/// </summary>
internal static class XlsxCells
{
    /// <summary>Columns A to XFD, Excel's limit.</summary>
    public const int MaxColumns = 16_384;

    /// <summary>9999-12-31 in the 1900 system, Excel's last date.</summary>
    private const double MaxSerial = 2_958_465;

    /// <summary>"C7" → row 7, column 2 (0-based columns, Excel row numbers).</summary>
    public static bool TryParseReference(ReadOnlySpan<char> reference, out int row, out int column)
    {
        row = 0;
        column = 0;
        var i = 0;
        while (i < reference.Length && char.IsAsciiLetter(reference[i]))
        {
            column = (column * 26) + (char.ToUpperInvariant(reference[i]) - 'A' + 1);
            if (column > MaxColumns)
            {
                return false;
            }

            i++;
        }

        column--;
        return i > 0 && column >= 0 && int.TryParse(reference[i..], NumberStyles.None, CultureInfo.InvariantCulture, out row) && row >= 1;
    }

    /// <summary>"C7" → column 2; -1 when the reference is not one.</summary>
    public static int ColumnOf(ReadOnlySpan<char> reference) => TryParseReference(reference, out _, out var column) ? column : -1;

    public static string ColumnName(int column)
    {
        var name = "";
        for (var c = column + 1; c > 0; c = (c - 1) / 26)
        {
            name = (char)('A' + ((c - 1) % 26)) + name;
        }

        return name;
    }

    /// <summary>
    /// A number as Excel shows it (15 significant digits) in invariant text: no exponent, no
    /// trailing zeros, integers without ".0". Text that is not a number is returned as is.
    /// </summary>
    public static string CanonicalNumber(string text)
    {
        var inv = CultureInfo.InvariantCulture;
        if (!double.TryParse(text, NumberStyles.Float, inv, out var value) || !double.IsFinite(value))
        {
            return text;
        }

        var shown = value.ToString("G15", inv);
        return Math.Abs(value) < 7.9e27 && decimal.TryParse(shown, NumberStyles.Float, inv, out var exact)
            ? exact.ToString(inv)
            : shown;
    }

    /// <summary>
    /// A date serial as an ISO date (or date and time). The 1900 system counts 1900-01-01 as 1
    /// and, as Lotus 1-2-3 did, has a 1900-02-29 (serial 60) that never was: serials above it
    /// are one day late, and 60 itself is an error. The 1904 system counts 1904-01-01 as 0.
    /// </summary>
    /// <returns>Null with <paramref name="error"/> set when the serial is no date.</returns>
    public static string? SerialToIso(string text, bool date1904, bool withTime, out string? error)
    {
        error = null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) || !double.IsFinite(serial))
        {
            error = "n'est pas un nombre de jours Excel";
            return null;
        }

        var day = Math.Floor(serial);
        DateTime origin;
        if (date1904)
        {
            origin = new DateTime(1904, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
            if (day < 0 || day > MaxSerial - 1462)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"le nombre de jours est hors des dates Excel (0 à {MaxSerial - 1462} dans le calendrier 1904 : du 01/01/1904 au 31/12/9999)");
                return null;
            }
        }
        else
        {
            if (day < 1 || day > MaxSerial)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"le nombre de jours est hors des dates Excel (1 à {MaxSerial} : du 01/01/1900 au 31/12/9999)");
                return null;
            }

            if (day == 60)
            {
                error = "le 29/02/1900 n'existe pas (jour fictif du calendrier 1900 d'Excel)";
                return null;
            }

            origin = day < 60 ? new DateTime(1899, 12, 31, 0, 0, 0, DateTimeKind.Unspecified) : new DateTime(1899, 12, 30, 0, 0, 0, DateTimeKind.Unspecified);
        }

        var date = origin.AddDays(day);
        if (!withTime)
        {
            return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        var seconds = Math.Round((serial - day) * 86_400);
        return date.AddSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
    }
}
