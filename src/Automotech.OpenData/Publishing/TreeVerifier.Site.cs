using System.Globalization;
using System.Text.Json;
using System.Xml;
using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Publishing;

/// <summary>
/// The files a harvester, a search engine and a feed reader fetch first, which no manifest hashes:
/// <c>catalog.jsonld</c> must describe each dataset's newest version (its version, and each
/// download's size and sha256 as <c>releases.json</c> declares them, at a URL of this tree) and
/// nothing that is not published; every page <c>sitemap.xml</c> and <c>feed.atom</c> link to must
/// exist; the home page and each dataset's stable page must exist; every page a visitor reaches
/// from the home page and the 404 page must find what it links to (TreeVerifier.Pages.cs). Links
/// are read relative to the catalogue's own <c>foaf:homepage</c>, the base URL the publish wrote
/// them with.
/// </summary>
public sealed partial class TreeVerifier
{
    private const string Catalog = "catalog.jsonld";
    private const string Sitemap = "sitemap.xml";
    private const string Feed = "feed.atom";
    private const string Remedy = "The next publish writes it again.";

    private async Task CheckSiteAsync(IReadOnlyDictionary<string, ReleaseVersion?> newest, IReadOnlySet<string> listedFolders, HashSet<string> present, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(Page, present, cancellationToken))
        {
            Error(Page, $"missing: the catalogue's home page. {Remedy}");
        }

        foreach (var id in newest.Keys.Order(StringComparer.Ordinal))
        {
            var page = $"{Datasets}{id}/{Page}";
            if (!present.Contains(page))
            {
                Error(page, $"missing: the stable page of '{id}', the link to its newest version. {Remedy}");
            }
        }

        var home = await CheckCatalogAsync(newest, present, cancellationToken);
        if (home is null)
        {
            return; // the sitemap's and the feed's links are read against the catalogue's homepage
        }

        await CheckXmlLinksAsync(Sitemap, home, "http://www.sitemaps.org/schemas/sitemap/0.9", "loc", null, present, cancellationToken);
        await CheckXmlLinksAsync(Feed, home, "http://www.w3.org/2005/Atom", "link", "href", present, cancellationToken);
        await CheckPagesAsync(home, newest, listedFolders, present, cancellationToken);
    }

    /// <summary>Checks <c>catalog.jsonld</c>; returns its homepage (the site's base URL), or null when it has none to read links against.</summary>
    private async Task<string?> CheckCatalogAsync(IReadOnlyDictionary<string, ReleaseVersion?> newest, HashSet<string> present, CancellationToken cancellationToken)
    {
        await using var stream = await target.ReadCurrentAsync(Catalog, cancellationToken);
        if (stream is null)
        {
            Error(Catalog, $"missing: harvesters (DCAT-AP) find no dataset. {Remedy}");
            return null;
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            Error(Catalog, $"not valid JSON (line {e.LineNumber + 1}): harvesters cannot read it. {Remedy}");
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            var home = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("foaf:homepage", out var h) ? Id(h) : null;
            if (home is null || !home.EndsWith('/') || !Uri.TryCreate(home, UriKind.Absolute, out _))
            {
                Error(Catalog, $"names no homepage (foaf:homepage, an absolute URL ending in '/'): its links, the sitemap's and the feed's were not checked. {Remedy}");
                return null;
            }

            var described = new HashSet<string>(StringComparer.Ordinal);
            var datasets = root.TryGetProperty("dcat:dataset", out var list) ? list : default;
            foreach (var dataset in datasets.ValueKind == JsonValueKind.Array ? datasets.EnumerateArray().ToList() : datasets.ValueKind == JsonValueKind.Object ? [datasets] : [])
            {
                var uri = Id(dataset);
                var id = uri is not null && uri.StartsWith(home + Datasets, StringComparison.Ordinal) && uri.EndsWith('/') ? uri[(home.Length + Datasets.Length)..^1] : null;
                if (id is null || !IsSegment(id))
                {
                    Error(Catalog, $"describes a dataset at '{uri}', which is not a dataset page of {home}.");
                    continue;
                }

                if (!newest.TryGetValue(id, out var latest))
                {
                    Error(Catalog, $"describes dataset '{id}', which {ReleaseManifest.FileName} does not list: harvesters would keep a dataset that is not published. {Remedy}");
                    continue;
                }

                if (!described.Add(id))
                {
                    Error(Catalog, $"describes dataset '{id}' twice.");
                    continue;
                }

                if (latest is not null)
                {
                    CheckCatalogDataset(dataset, id, latest, home, present);
                }
            }

            foreach (var id in newest.Keys.Where(id => !described.Contains(id)).Order(StringComparer.Ordinal))
            {
                Error(Catalog, $"does not describe dataset '{id}', which {ReleaseManifest.FileName} lists: harvesters do not see it. {Remedy}");
            }

            return home;
        }
    }

    /// <summary>One dataset of the catalogue against its newest version: the version it names, and each download.</summary>
    private void CheckCatalogDataset(JsonElement dataset, string id, ReleaseVersion latest, string home, HashSet<string> present)
    {
        var version = dataset.TryGetProperty("dcat:version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (version != latest.Version)
        {
            Error(Catalog, $"describes '{id}' as version '{version}', where {ReleaseManifest.FileName}'s newest is {latest.Version}: harvesters are told of a version that latest/ does not serve. {Remedy}");
        }

        var folder = $"{Datasets}{id}/latest/";
        var files = (latest.Files ?? []).Where(f => f is not null && f.Name is not null).ToDictionary(f => f.Name, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var distributions = dataset.TryGetProperty("dcat:distribution", out var d) ? d : default;
        foreach (var distribution in distributions.ValueKind == JsonValueKind.Array ? distributions.EnumerateArray().ToList() : distributions.ValueKind == JsonValueKind.Object ? [distributions] : [])
        {
            var url = (distribution.TryGetProperty("dcat:downloadURL", out var down) ? Id(down) : null)
                ?? (distribution.TryGetProperty("dcat:accessURL", out var access) ? Id(access) : null);
            var path = Local(url, home);
            if (path is null || !path.StartsWith(folder, StringComparison.Ordinal) || !files.TryGetValue(path[folder.Length..], out var file))
            {
                Error(Catalog, $"'{id}': a download at '{url}' is not a file of version {latest.Version} in {home}{folder}: harvesters would offer a link that is not what latest/ serves. {Remedy}");
                continue;
            }

            seen.Add(file.Name);
            var size = distribution.TryGetProperty("dcat:byteSize", out var s) ? Value(s) : null;
            var sum = distribution.TryGetProperty("spdx:checksum", out var c) && c.ValueKind == JsonValueKind.Object && c.TryGetProperty("spdx:checksumValue", out var cv) ? Value(cv) : null;
            if (size != file.Bytes.ToString(CultureInfo.InvariantCulture) || sum != file.Sha256)
            {
                Error(Catalog, $"'{id}': {path} is described with {size ?? "no"} bytes and sha256 {sum ?? "none"}, where {ReleaseManifest.FileName} declares {file.Bytes.ToString(CultureInfo.InvariantCulture)} bytes and {file.Sha256}: a harvester's check of the download would fail. {Remedy}");
            }

            var schema = distribution.TryGetProperty("dct:conformsTo", out var conforms) ? Id(conforms) : null;
            if (schema is not null && Local(schema, home) is { } schemaPath && !present.Contains(schemaPath))
            {
                Error(Catalog, $"'{id}': {path} conforms to '{schema}', which is not published. {Remedy}");
            }
        }

        // The data files (not the JSON metadata) are each a distribution.
        foreach (var file in files.Values.Where(f => Path.GetExtension(f.Name) is ".csv" or ".parquet" or ".geojson" && !seen.Contains(f.Name)).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            Error(Catalog, $"'{id}': {folder}{file.Name} is not among its downloads: harvesters do not offer it. {Remedy}");
        }
    }

    /// <summary>Every link of a sitemap or a feed under the homepage leads to a file of the tree (a folder's URL to its index.html).</summary>
    private async Task CheckXmlLinksAsync(string file, string home, string ns, string element, string? attribute, HashSet<string> present, CancellationToken cancellationToken)
    {
        await using var stream = await target.ReadCurrentAsync(file, cancellationToken);
        if (stream is null)
        {
            Error(file, $"missing. {Remedy}");
            return;
        }

        var links = new List<string>();
        try
        {
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { Async = true, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            while (await reader.ReadAsync())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == element && reader.NamespaceURI == ns)
                {
                    var link = attribute is null ? (await reader.ReadElementContentAsStringAsync()).Trim() : reader.GetAttribute(attribute);
                    if (link is not null)
                    {
                        links.Add(link);
                    }
                }
            }
        }
        catch (XmlException e)
        {
            Error(file, $"not well-formed XML (line {e.LineNumber.ToString(CultureInfo.InvariantCulture)}): {e.Message} {Remedy}");
            return;
        }

        foreach (var link in links.Distinct(StringComparer.Ordinal))
        {
            if (Local(link, home) is not { } path)
            {
                continue; // another site's page: not ours to check
            }

            var page = path.Length == 0 || path.EndsWith('/') ? path + Page : path;
            if (!await ExistsAsync(page, present, cancellationToken) && !ReportedMissing(page))
            {
                Error(file, $"links to {link}, which is not published ({page} is missing). {Remedy}");
            }
        }
    }

    /// <summary>
    /// Whether an error already names this path (a listed version's page the manifests' checks found
    /// missing, a stable page): a link to it is not reported again.
    /// </summary>
    private bool ReportedMissing(string path) => findings.Any(f => f.Severity == FindingSeverity.Error && f.Path == path);

    /// <summary>Whether the file exists: from the listing of datasets/, else by opening it.</summary>
    private async Task<bool> ExistsAsync(string path, HashSet<string> present, CancellationToken cancellationToken)
    {
        if (path.StartsWith(Datasets, StringComparison.Ordinal))
        {
            return present.Contains(path);
        }

        await using var stream = await target.ReadCurrentAsync(path, cancellationToken);
        return stream is not null;
    }

    /// <summary>The path in the tree of a URL under the homepage, decoded; null for any other URL or a path leaving the tree.</summary>
    private static string? Local(string? url, string home)
    {
        if (url is null || !url.StartsWith(home, StringComparison.Ordinal))
        {
            return null;
        }

        var relative = url[home.Length..];
        var end = relative.IndexOfAny(['?', '#']);
        var path = Uri.UnescapeDataString(end < 0 ? relative : relative[..end]);
        return path.Length == 0 || IsRelativePath(path.TrimEnd('/')) ? path : null;
    }

    /// <summary>A JSON-LD node's <c>@id</c>, or the string itself.</summary>
    private static string? Id(JsonElement node) =>
        node.ValueKind == JsonValueKind.String ? node.GetString()
        : node.ValueKind == JsonValueKind.Object && node.TryGetProperty("@id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()
        : null;

    /// <summary>A JSON-LD literal's <c>@value</c> (or the literal itself) as text.</summary>
    private static string? Value(JsonElement node) => node.ValueKind switch
    {
        JsonValueKind.String => node.GetString(),
        JsonValueKind.Number => node.GetRawText(),
        JsonValueKind.Object when node.TryGetProperty("@value", out var value) => Value(value),
        _ => null,
    };
}
