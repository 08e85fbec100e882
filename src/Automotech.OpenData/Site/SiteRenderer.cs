using Scriban;
using Scriban.Runtime;
using Automotech.OpenData.Publishing;

namespace Automotech.OpenData.Site;

/// <summary>
/// Renders the static catalogue from Scriban templates in the templates folder
/// (<c>site-templates/</c>): <c>_layout.html</c> wraps <c>index.html</c>, <c>dataset.html</c>
/// (dataset and version pages) and <c>404.html</c>; <c>assets/</c> is copied as is. Every value
/// is HTML-encoded by <see cref="HtmlTemplateContext"/>.
/// </summary>
public sealed class SiteRenderer
{
    private readonly string templatesDirectory;
    private readonly Dictionary<string, Template> templates = new(StringComparer.Ordinal);

    /// <param name="templatesDirectory">Templates that override the built-in ones (any subset), or null for the built-in set.</param>
    public SiteRenderer(string? templatesDirectory)
    {
        this.templatesDirectory = templatesDirectory ?? "";
        if (templatesDirectory is not null && !Directory.Exists(templatesDirectory))
        {
            throw new PipelineException($"Site templates folder not found: {Path.GetFullPath(templatesDirectory)} (set Site:Templates, or leave it empty for the built-in templates).");
        }
    }

    /// <summary>The built-in templates and assets, embedded from site-templates/ (paths with '/').</summary>
    public static IReadOnlyList<string> BuiltIn { get; } = typeof(SiteRenderer).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("site-templates/", StringComparison.Ordinal))
        .Select(n => n["site-templates/".Length..].Replace('\\', '/'))
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// Renders every page of the catalogue into <paramref name="tree"/>, the pages of
    /// <paramref name="newVersions"/>, and the machine-readable files (DCAT-AP catalogue, Atom
    /// feed, sitemap) with absolute URLs under <paramref name="baseUrl"/>.
    /// </summary>
    public async Task RenderAsync(SiteModel site, IEnumerable<DatasetPage> newVersions, Releases.ReleaseManifest manifest, Uri baseUrl, StagedTree tree, CancellationToken cancellationToken)
    {
        await tree.WriteAsync(DcatCatalog.FileName, DcatCatalog.Build(baseUrl, site, manifest), cancellationToken);
        await tree.WriteAsync("feed.atom", Feeds.Atom(baseUrl, site, manifest), cancellationToken);
        await tree.WriteAsync("sitemap.xml", Feeds.Sitemap(baseUrl, manifest), cancellationToken);
        await WritePageAsync(tree, "index.html", "index.html", new Page("", "", "Catalogue des données ouvertes", site, null, false), cancellationToken);
        await WritePageAsync(tree, "a-propos.html", "a-propos.html", new Page("", "", "À propos et méthodologie", site, null, false), cancellationToken);
        // Served for a missing URL at any depth: its links are absolute paths, under the base URL's
        // own path when the site is served below the host's root (https://example.org/opendata/).
        await WritePageAsync(tree, "404.html", "404.html", new Page(baseUrl.AbsolutePath, "", "Page introuvable", site, null, false), cancellationToken);
        foreach (var dataset in site.Datasets.Select(d => WithCitation(baseUrl, d, versionPage: false)))
        {
            await WritePageAsync(tree, $"datasets/{dataset.Id}/index.html", "dataset.html", new Page("../../", "", dataset.Title, site, dataset, false), cancellationToken);
        }

        foreach (var version in newVersions.Select(d => WithCitation(baseUrl, d, versionPage: true)))
        {
            var page = new Page("../../../", "../", $"{version.Title} — version {version.Version}", site, version, true);
            await WritePageAsync(tree, $"datasets/{version.Id}/{version.Version}/index.html", "dataset.html", page, cancellationToken);
        }

        foreach (var asset in BuiltIn.Where(n => n.StartsWith("assets/", StringComparison.Ordinal)))
        {
            await tree.WriteAsync(asset, ReadBuiltIn(asset), cancellationToken);
        }

        var assets = Path.Combine(templatesDirectory, "assets");
        if (templatesDirectory.Length > 0 && Directory.Exists(assets))
        {
            // Every entry is checked before any is read: a file under a linked folder is refused with its folder.
            var entries = Directory.EnumerateFileSystemEntries(assets, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            foreach (var entry in entries)
            {
                RefuseLink(entry);
            }

            foreach (var file in entries.Where(File.Exists))
            {
                var relative = Path.GetRelativePath(templatesDirectory, file).Replace(Path.DirectorySeparatorChar, '/');
                await tree.WriteAsync(relative, await File.ReadAllBytesAsync(file, cancellationToken), cancellationToken);
            }
        }

        await tree.WriteAsync("robots.txt", System.Text.Encoding.UTF8.GetBytes($"User-agent: *\nAllow: /\nSitemap: {new Uri(baseUrl, "sitemap.xml").AbsoluteUri}\n"), cancellationToken);
    }

    private async Task WritePageAsync(StagedTree tree, string path, string templateName, Page page, CancellationToken cancellationToken)
    {
        var globals = new ScriptObject();
        globals.Import(page, null, null);
        // {{ accord n "ligne ajoutée" "lignes ajoutées" }}: the count and its words in French agreement.
        globals.Import("accord", new Func<object, string, string, string>((n, singular, plural) =>
            KeyFigureFormat.Agreed(Convert.ToInt64(n, System.Globalization.CultureInfo.InvariantCulture), singular, plural)));
        var body = Render(templateName, globals);
        globals.SetValue("content", new TrustedHtml(body), readOnly: true);
        var html = Render("_layout.html", globals);
        await tree.WriteAsync(path, System.Text.Encoding.UTF8.GetBytes(html), cancellationToken);
    }

    private string Render(string templateName, ScriptObject globals)
    {
        var template = Load(templateName);
        var context = new HtmlTemplateContext();
        context.PushGlobal(globals);
        try
        {
            return template.Render(context);
        }
        catch (Scriban.Syntax.ScriptRuntimeException e)
        {
            throw new PipelineException($"{Path.Combine(templatesDirectory, templateName)}: {e.Message}", e);
        }
    }

    private Template Load(string name)
    {
        if (templates.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var path = Path.Combine(templatesDirectory, name);
        string text;
        if (templatesDirectory.Length > 0 && File.Exists(path))
        {
            RefuseLink(path);
            text = File.ReadAllText(path);
        }
        else if (BuiltIn.Contains(name))
        {
            path = "built-in " + name;
            text = System.Text.Encoding.UTF8.GetString(ReadBuiltIn(name));
        }
        else
        {
            throw new PipelineException($"Site template not found: {name} (neither in {Path.GetFullPath(templatesDirectory)} nor built in).");
        }

        var template = Template.Parse(text, path);
        if (template.HasErrors)
        {
            throw new PipelineException($"Site template {path} has errors: {string.Join("; ", template.Messages)}");
        }

        return templates[name] = template;
    }

    /// <summary>
    /// A template or asset is published (an asset as it is, a template's text around its
    /// expressions): a symbolic link would publish whatever it points to (<c>/proc/self/environ</c>,
    /// the run's secrets with it; any file the run may read). The templates folder holds files only.
    /// </summary>
    private static void RefuseLink(string path)
    {
        if (new FileInfo(path).LinkTarget is not null)
        {
            throw new PipelineException($"Site templates: {path} is a symbolic link: the templates folder (Site:Templates) must hold the files themselves, since what a link points to would be published. Nothing is published.");
        }
    }

    private static DatasetPage WithCitation(Uri baseUrl, DatasetPage page, bool versionPage)
    {
        var citation = Citation.For(baseUrl, page.Id, page.Title, page.PublisherName, page.Version, DateTimeOffset.Parse(page.PublishedIso, System.Globalization.CultureInfo.InvariantCulture), page.LicenceTitle);
        return page with { Citation = citation, SchemaOrgJson = SchemaOrg.Dataset(baseUrl, page, citation, versionPage) };
    }

    private static byte[] ReadBuiltIn(string name)
    {
        using var stream = typeof(SiteRenderer).Assembly.GetManifestResourceStream("site-templates/" + name)
            ?? throw new InvalidOperationException($"Built-in template {name} is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>
    /// The variables of a page: <c>root</c> leads to the site root, <c>dataset_base</c> to the
    /// dataset's folder (both relative, so the site works from a folder and from a container).
    /// </summary>
    private sealed record Page(string Root, string DatasetBase, string PageTitle, SiteModel Site, DatasetPage? Dataset, bool IsVersionPage);
}
