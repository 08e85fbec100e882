using System.Globalization;

namespace Automotech.OpenData;

/// <summary>
/// The Table Schema types we support, and their canonical text: the form values take between
/// stages (invariant numbers, ISO 8601 dates, "true"/"false"), so writers parse them without
/// ambiguity and the CSV output is stable.
/// </summary>
public static class FieldTypes
{
    public static IReadOnlyList<string> Known { get; } = ["string", "integer", "number", "boolean", "date", "datetime", "year"];

    public static bool IsKnown(string type) => Known.Contains(type);

    /// <summary>
    /// The canonical text of <paramref name="text"/> read as <paramref name="field"/>'s type, or
    /// null when it is not a value of that type. <paramref name="text"/> is not missing.
    /// </summary>
    public static string? Normalise(SchemaField field, string text)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (field.Type)
        {
            case "string":
                return text;
            case "integer" when IsCanonicalNumber(text, allowFraction: false):
                return text;
            case "integer":
                return long.TryParse(text.AsSpan().Trim(), NumberStyles.AllowLeadingSign, inv, out var l) ? Canonical(text, l) : null;
            case "number" when IsCanonicalNumber(text, allowFraction: true):
                return text;
            case "number":
                return decimal.TryParse(text.AsSpan().Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, inv, out var d)
                    ? Canonical(text, d)
                    : null;
            case "boolean":
                var t = text.Trim();
                return field.TrueValues.Contains(t) ? "true" : field.FalseValues.Contains(t) ? "false" : null;
            case "date":
                return IsIsoDate(text.AsSpan().Trim()) ? text.Trim() : null;
            case "datetime":
                return DateTimeOffset.TryParse(text.AsSpan().Trim(), inv, DateTimeStyles.AssumeUniversal, out var dt)
                    ? dt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", inv)
                    : null;
            case "year":
                return int.TryParse(text.AsSpan().Trim(), NumberStyles.None, inv, out var y) && y is >= 1000 and <= 9999
                    ? y.ToString(inv)
                    : null;
            default:
                throw new InvalidOperationException($"Unknown field type '{field.Type}'.");
        }
    }

    /// <summary>
    /// True when <paramref name="text"/> is already the invariant text its parse would format
    /// back to (most cells): an optional '-', digits without a leading zero, and for numbers an
    /// optional '.' followed by digits; not "-0" (formats as "0"), at most 18 digits (within
    /// long's and decimal's exact range). Anything else takes the parse, which decides.
    /// </summary>
    public static bool IsCanonicalNumber(string text, bool allowFraction)
    {
        var span = text.AsSpan();
        var negative = span.Length > 0 && span[0] == '-';
        if (negative)
        {
            span = span[1..];
        }

        var point = allowFraction ? span.IndexOf('.') : -1;
        var whole = point < 0 ? span : span[..point];
        var fraction = point < 0 ? [] : span[(point + 1)..];
        if (whole.Length == 0 || (whole.Length > 1 && whole[0] == '0') || whole.Length + fraction.Length > 18
            || (point >= 0 && fraction.Length == 0) || whole.ContainsAnyExceptInRange('0', '9') || fraction.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        // "-0", "-0.00": the parse drops the sign of a zero.
        return !negative || whole.ContainsAnyExcept('0') || fraction.ContainsAnyExcept('0');
    }

    /// <summary>The invariant text of a number, reusing <paramref name="text"/> when it already is (no allocation).</summary>
    private static string Canonical<T>(string text, T value)
        where T : ISpanFormattable
    {
        Span<char> buffer = stackalloc char[64];
        return value.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture) && buffer[..written].SequenceEqual(text)
            ? text
            : value.ToString(null, CultureInfo.InvariantCulture);
    }

    /// <summary>yyyy-MM-dd, a real calendar day (no time, no offset): checked by hand, it is hot.</summary>
    public static bool IsIsoDate(ReadOnlySpan<char> s)
    {
        if (s.Length != 10 || s[4] != '-' || s[7] != '-')
        {
            return false;
        }

        foreach (var i in (ReadOnlySpan<int>)[0, 1, 2, 3, 5, 6, 8, 9])
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }
        }

        var year = ((s[0] - '0') * 1000) + ((s[1] - '0') * 100) + ((s[2] - '0') * 10) + (s[3] - '0');
        var month = ((s[5] - '0') * 10) + (s[6] - '0');
        var day = ((s[8] - '0') * 10) + (s[9] - '0');
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    /// <summary>
    /// A comparison of canonical values of <paramref name="type"/> with <paramref name="bound"/>
    /// (a canonical value too), which is parsed once: what minimum and maximum run on every cell.
    /// </summary>
    /// <param name="last">Shared by a field's minimum and maximum: the cell is parsed once for both.</param>
    public static Func<string, int> Comparer(string type, string bound, LastParsed last)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (type)
        {
            case "integer":
                var l = long.Parse(bound, inv);
                return v => last.Value(v).CompareTo(l);
            case "number":
                var d = decimal.Parse(bound, inv);
                return v => last.Value(v).CompareTo(d);
            case "year":
                var y = int.Parse(bound, inv);
                return v => int.Parse(v, inv).CompareTo(y);
            default:
                return v => string.CompareOrdinal(v, bound); // ISO dates and datetimes sort as text
        }
    }

    /// <summary>
    /// Whether a field's <paramref name="minimum"/> lies above its <paramref name="maximum"/>, both
    /// values of its type (false when either is not: that is reported on its own): then no value
    /// can pass. Equal bounds are allowed (one value passes).
    /// </summary>
    public static bool BoundsCross(SchemaField field, string minimum, string maximum) =>
        IsKnown(field.Type)
        && Normalise(field, minimum) is { } low
        && Normalise(field, maximum) is { } high
        && Comparer(field.Type, high, new LastParsed())(low) > 0;

    /// <summary>The last canonical number parsed, kept so that one cell is parsed once (single-threaded use).</summary>
    public sealed class LastParsed
    {
        private string? text;
        private decimal value;

        public decimal Value(string canonical)
        {
            if (!ReferenceEquals(canonical, text))
            {
                value = TryDigits(canonical, out var parsed)
                    ? parsed
                    : decimal.Parse(canonical, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
                text = canonical;
            }

            return value;
        }

        /// <summary>
        /// The value of a short canonical number ('-', at most 18 digits, one '.'), built from
        /// its digits: exact, and a fraction of what the general parse costs on every cell.
        /// </summary>
        internal static bool TryDigits(string canonical, out decimal value)
        {
            value = 0;
            var span = canonical.AsSpan();
            var negative = span.Length > 0 && span[0] == '-';
            if (negative)
            {
                span = span[1..];
            }

            ulong digits = 0;
            var count = 0;
            var scale = -1;
            for (var i = 0; i < span.Length; i++)
            {
                var c = span[i];
                if (c == '.' && scale < 0 && i > 0 && i < span.Length - 1)
                {
                    scale = 0;
                    continue;
                }

                if (!char.IsAsciiDigit(c) || ++count > 18)
                {
                    return false;
                }

                digits = (digits * 10) + (uint)(c - '0');
                if (scale >= 0)
                {
                    scale++;
                }
            }

            if (count == 0)
            {
                return false;
            }

            value = new decimal((int)(uint)digits, (int)(uint)(digits >> 32), 0, negative, (byte)Math.Max(0, scale));
            return true;
        }
    }
}
