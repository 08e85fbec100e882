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

    public static string CacheControl(string path) => Publisher.Stage(path) == 0 ? ImmutableCache : ShortCache;
}
