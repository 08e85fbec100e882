using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Publishing;

/// <summary>
/// The pages as a visitor follows them: from the home page and the 404 page (which the static
/// website serves for any unknown address), every page of the tree a link leads to is read, and
/// every link of each page to a file of this site (relative, root-relative, or an absolute URL
/// under the homepage) must lead to a file of the tree, a folder's link to its
/// <c>index.html</c>; a link with a fragment to a page must find that <c>id</c> in it. Links to
/// other sites, <c>mailto:</c> and the like are not checked. A missing file is reported once, with
/// the pages linking to it; a file already reported missing by the manifests' checks is not
/// reported again. A file of a dataset's <c>latest/</c> that its newest version does not publish,
/// linked only from older versions' pages, is a warning: pages rendered before 1e24b56 (2026-11-27)
/// also linked each file to <c>latest/</c>, and a version's page is never rewritten, so a part or a
/// format that a later version dropped leaves such a link dead for good, with nothing to repair.
/// </summary>
public sealed partial class TreeVerifier
{
    private const string NotFoundPage = "404.html";

    private const string LatestFolder = "latest/";

    /// <summary>Pages read at most: a tree of three datasets publishing weekly for twenty years holds about 3,200.</summary>
    private const int MaxPages = 20_000;

    // Our pages quote every attribute with '"' (the templates and the builders escape '"' in values).
    [GeneratedRegex(@"\s(?<name>href|src)=""(?<value>[^""]*)""", RegexOptions.CultureInvariant)]
    private static partial Regex LinkAttribute();

    [GeneratedRegex(@"\sid=""(?<value>[^""]*)""", RegexOptions.CultureInvariant)]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*:", RegexOptions.CultureInvariant)]
    private static partial Regex Scheme();

    private async Task CheckPagesAsync(string home, IReadOnlyDictionary<string, ReleaseVersion?> newest, IReadOnlySet<string> listedFolders, HashSet<string> present, CancellationToken cancellationToken)
    {
        var basePath = new Uri(home).AbsolutePath; // "/" or "/opendata/": where root-relative links start
        siteBase = (home, basePath);
        var ids = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal); // each page read: its ids
        var exists = new Dictionary<string, bool>(StringComparer.Ordinal);
        var linkedFrom = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal); // a missing file: the pages linking to it
        var fragments = new List<(string Page, string Link, string Target, string Fragment)>();
        var queue = new Queue<string>([Page, NotFoundPage]);
        var queued = new HashSet<string>(queue, StringComparer.Ordinal);
        while (queue.Count > 0 && ids.Count < MaxPages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = queue.Dequeue();
            var html = await ReadTextAsync(page, cancellationToken);
            if (html is null)
            {
                if (page == NotFoundPage)
                {
                    Error(NotFoundPage, $"missing: the page the site serves for an address it does not hold (the static website's error document). {Remedy}");
                }

                continue; // a linked page: reported below with the pages linking to it
            }

            CheckFigures(page, html); // what its key figures say (TreeVerifier.Figures.cs), read once with its links
            ids[page] = IdAttribute().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups["value"].Value)).ToHashSet(StringComparer.Ordinal);
            foreach (var link in LinkAttribute().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups["value"].Value)).Distinct(StringComparer.Ordinal))
            {
                if (Resolve(page, link, home, basePath) is not { } resolved)
                {
                    continue; // another site's, an e-mail address
                }

                var (path, fragment) = resolved;
                if (path is null)
                {
                    Error(page, $"links to '{link}', which leaves the site ({home}): the link is broken wherever the site is served. {Remedy}");
                    continue;
                }

                var file = path.Length == 0 || path.EndsWith('/') ? path + Page : path;
                if (!exists.TryGetValue(file, out var found))
                {
                    found = exists[file] = await ExistsAsync(file, present, cancellationToken);
                }

                if (!found)
                {
                    if (!linkedFrom.TryGetValue(file, out var pages))
                    {
                        linkedFrom[file] = pages = new SortedSet<string>(StringComparer.Ordinal);
                    }

                    pages.Add(page);
                    continue;
                }

                if (file.EndsWith(".html", StringComparison.Ordinal) && queued.Add(file))
                {
                    queue.Enqueue(file);
                }

                if (fragment.Length > 0 && file.EndsWith(".html", StringComparison.Ordinal))
                {
                    fragments.Add((page, link, file, fragment));
                }
            }
        }

        if (queue.Count > 0)
        {
            Warning(Page, $"more than {MaxPages.ToString(CultureInfo.InvariantCulture)} pages: the links of the pages past them were not checked.");
        }

        foreach (var (file, pages) in linkedFrom.Where(m => !ReportedMissing(m.Key)))
        {
            var shown = string.Join(", ", pages.Take(3)) + (pages.Count > 3 ? $" and {(pages.Count - 3).ToString(CultureInfo.InvariantCulture)} more" : "");
            if (NoLongerLatest(file, newest) is { } latest && pages.All(p => IsOlderVersionPage(p, latest.Id, latest.Version, listedFolders)))
            {
                Warning(file, $"no longer in latest/ (version {latest.Version.Version}, the newest, does not publish it), linked from the page of an older version ({shown}), rendered by an earlier build when version pages also linked to latest/: "
                    + "a version's page is immutable and no publish rewrites it, so that link leads to the 404 page; the version's own copy of the file, linked beside it, keeps its permanent address. Nothing to repair.");
                continue;
            }

            Error(file, $"missing, linked from {pages.Count.ToString(CultureInfo.InvariantCulture)} page(s) ({shown}): a visitor following the link meets the 404 page. {Remedy}");
        }

        foreach (var (page, link, file, fragment) in fragments)
        {
            if (ids.TryGetValue(file, out var targets) && !targets.Contains(fragment))
            {
                Error(page, $"links to '{link}', but {file} has no element with id '{fragment}': the link opens the page at its top. {Remedy}");
            }
        }
    }

    /// <summary>
    /// The dataset and its newest version when <paramref name="file"/> is in that dataset's
    /// <c>latest/</c> and is not a file of its newest version (which <c>latest/</c> therefore must
    /// not hold); null otherwise (a file the newest version lists, missing from <c>latest/</c>, is damage).
    /// </summary>
    private static (string Id, ReleaseVersion Version)? NoLongerLatest(string file, IReadOnlyDictionary<string, ReleaseVersion?> newest)
    {
        if (!file.StartsWith(Datasets, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = file[Datasets.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !rest[(slash + 1)..].StartsWith(LatestFolder, StringComparison.Ordinal))
        {
            return null;
        }

        var id = rest[..slash];
        var name = rest[(slash + 1 + LatestFolder.Length)..];
        return newest.TryGetValue(id, out var version) && version?.Files is { } files && name.Length > 0 && !files.Any(f => f?.Name == name)
            ? (id, version)
            : null;
    }

    /// <summary>Whether <paramref name="page"/> is the page of a listed version of <paramref name="id"/> other than its newest.</summary>
    private static bool IsOlderVersionPage(string page, string id, ReleaseVersion newest, IReadOnlySet<string> listedFolders)
    {
        var prefix = $"{Datasets}{id}/";
        if (!page.StartsWith(prefix, StringComparison.Ordinal) || !page.EndsWith("/" + Page, StringComparison.Ordinal))
        {
            return false;
        }

        var folder = page[..^Page.Length]; // datasets/<id>/<version>/
        var version = folder[prefix.Length..^1];
        return version.Length > 0 && !version.Contains('/', StringComparison.Ordinal) && version != newest.Version && listedFolders.Contains(folder);
    }

    /// <summary>
    /// The file of the tree a link of <paramref name="page"/> leads to, and its fragment (empty when
    /// none); the path is null when a root-relative link leaves the site's base path; null for a link
    /// to another site or scheme.
    /// </summary>
    private static (string? Path, string Fragment)? Resolve(string page, string link, string home, string basePath)
    {
        var hash = link.IndexOf('#', StringComparison.Ordinal);
        var fragment = hash < 0 ? "" : Uri.UnescapeDataString(link[(hash + 1)..]);
        var address = hash < 0 ? link : link[..hash];
        if (address.Length == 0)
        {
            return (page, fragment); // "#contenu": this page
        }

        if (Scheme().IsMatch(address) || address.StartsWith("//", StringComparison.Ordinal))
        {
            return Local(address, home) is { } local ? (local, fragment) : null;
        }

        var query = address.IndexOf('?', StringComparison.Ordinal);
        address = query < 0 ? address : address[..query];
        if (address.StartsWith('/'))
        {
            return address.StartsWith(basePath, StringComparison.Ordinal)
                ? (Uri.UnescapeDataString(address[basePath.Length..]), fragment)
                : (null, fragment);
        }

        // Relative: resolved as a browser does, against the page's own address.
        var resolved = new Uri(new Uri("https://tree.invalid/" + page), address);
        return (Uri.UnescapeDataString(resolved.AbsolutePath.TrimStart('/')), fragment);
    }

    /// <summary>A page of the tree as text, or null when it does not exist.</summary>
    private async Task<string?> ReadTextAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = await target.ReadCurrentAsync(path, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
