namespace Automotech.OpenData.Publishing;

/// <summary>How each file of the published tree is served: its media type and how long it may be cached.</summary>
public static class PublishedFiles
{
    /// <summary>Version folders never change: cache them for a year.</summary>
    public const string ImmutableCache = "public, max-age=31536000, immutable";

    /// <summary>latest/, pages and manifests change weekly: five minutes.</summary>
    public const string ShortCache = "public, max-age=300";

    public static string MediaType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".json" => "application/json",
        ".jsonld" => "application/ld+json",
        ".atom" => "application/atom+xml",
        ".xml" => "application/xml",
        ".txt" => "text/plain; charset=utf-8",
        ".csv" => "text/csv; charset=utf-8",
        ".parquet" => "application/vnd.apache.parquet",
        ".geojson" => "application/geo+json",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };

    /// <summary>
    /// A published path as a URL path: each character a path segment may not hold as it stands
    /// is percent-encoded (UTF-8), '%' included, so that a partition folder such as
    /// <c>region=C%20d</c> is asked for by its real name (<c>region=C%2520d</c>); '/' and '=' stay.
    /// </summary>
    public static string UrlPath(string path) =>
        PercentEncode(path, rune => rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || "-._~!$&'()*+,;=:@/".Contains((char)rune.Value, StringComparison.Ordinal)));

    /// <summary>The text with every character <paramref name="keep"/> refuses spelled as its UTF-8 bytes in %XX.</summary>
    public static string PercentEncode(string text, Func<System.Text.Rune, bool> keep)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            if (keep(rune))
            {
                builder.Append(rune.ToString());
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    public static string CacheControl(string path) => Publisher.Stage(path) == 0 ? ImmutableCache : ShortCache;
}
