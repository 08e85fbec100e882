using System.Text.Json.Nodes;
using Automotech.OpenData.Tests.EndToEnd;

namespace Automotech.OpenData.Tests.Worker;

/// <summary>
/// <c>verify</c> on what harvesters, search engines and feed readers fetch, which no manifest
/// hashes: <c>catalog.jsonld</c> must describe each dataset's newest version as
/// <c>releases.json</c> does (its version, each download at a URL of the tree with its size and
/// sha256) and nothing else; <c>sitemap.xml</c> and <c>feed.atom</c> must link to pages that
/// exist; the home page and each dataset's page must exist. Each damage is an error naming the
/// file, and the next publish mends it.
/// </summary>
public sealed class VerifySiteTests
{
    private const string Home = "https://opendata.automotech.example/";

    private static async Task<DemoSite> PublishedAsync()
    {
        var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("publish"));
        return site;
    }

    private static List<string> Errors(DemoSite site) =>
        [.. site.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("error: ", StringComparison.Ordinal))];

    private static void EditCatalog(DemoSite site, Action<JsonObject> edit)
    {
        var path = site.Path("catalog.jsonld");
        var catalog = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(catalog);
        File.WriteAllText(path, catalog.ToJsonString());
    }

    private static JsonObject Dataset(JsonObject catalog, string id) =>
        catalog["dcat:dataset"]!.AsArray().Single(d => (string?)d!["@id"] == $"{Home}datasets/{id}/")!.AsObject();

    private static JsonArray Distributions(JsonObject catalog, string id) => Dataset(catalog, id)["dcat:distribution"]!.AsArray();

    private static JsonObject Distribution(JsonObject catalog, string id, string file) =>
        Distributions(catalog, id).Single(d => (string?)d!["dcat:downloadURL"]!["@id"] == $"{Home}datasets/{id}/latest/{file}")!.AsObject();

    [Fact]
    public async Task A_catalogue_that_names_an_older_version_is_an_error_and_the_next_publish_mends_it()
    {
        using var site = await PublishedAsync();
        EditCatalog(site, c => Dataset(c, "acteurs")["dcat:version"] = "2026-11-18");

        Assert.Equal(1, await site.RunAsync("verify"));

        var error = Assert.Single(Errors(site));
        Assert.Equal("error: catalog.jsonld: describes 'acteurs' as version '2026-11-18', where releases.json's newest is 2026-11-25: harvesters are told of a version that latest/ does not serve. The next publish writes it again.", error);

        Assert.Equal(0, await site.RunAsync("publish"));
        Assert.Equal(0, await site.RunAsync("verify"));
    }

    [Fact]
    public async Task A_download_described_with_another_size_or_sha256_is_an_error_giving_both()
    {
        using var site = await PublishedAsync();
        var manifest = Automotech.OpenData.Releases.ReleaseManifest.Parse(File.OpenRead(site.Path("releases.json")), "site");
        var csv = manifest.Datasets.Single(d => d.Id == "chiffres-cles").Latest!.Files.Single(f => f.Name == "chiffres-cles.csv");
        EditCatalog(site, c =>
        {
            var d = Distribution(c, "chiffres-cles", "chiffres-cles.csv");
            d["spdx:checksum"]!["spdx:checksumValue"]!["@value"] = new string('0', 64);
            Distribution(c, "acteurs", "acteurs.parquet")["dcat:byteSize"]!["@value"] = "1";
        });

        Assert.Equal(1, await site.RunAsync("verify"));

        var errors = Errors(site);
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("error: catalog.jsonld: 'acteurs': datasets/acteurs/latest/acteurs.parquet is described with 1 bytes and sha256 ", errors[0], StringComparison.Ordinal);
        Assert.Equal(
            $"error: catalog.jsonld: 'chiffres-cles': datasets/chiffres-cles/latest/chiffres-cles.csv is described with {csv.Bytes} bytes and sha256 {new string('0', 64)}, where releases.json declares {csv.Bytes} bytes and {csv.Sha256}: a harvester's check of the download would fail. The next publish writes it again.",
            errors[1]);
    }

    [Fact]
    public async Task A_dataset_missing_from_the_catalogue_or_one_that_is_not_published_is_an_error()
    {
        using var site = await PublishedAsync();
        EditCatalog(site, c =>
        {
            var datasets = c["dcat:dataset"]!.AsArray();
            var stale = Dataset(c, "acteurs").DeepClone().AsObject();
            stale["@id"] = $"{Home}datasets/acteurs-2025/";
            datasets.Remove(Dataset(c, "sirene-automobile"));
            datasets.Add(stale);
        });

        Assert.Equal(1, await site.RunAsync("verify"));

        Assert.Equal(
            [
                "error: catalog.jsonld: describes dataset 'acteurs-2025', which releases.json does not list: harvesters would keep a dataset that is not published. The next publish writes it again.",
                "error: catalog.jsonld: does not describe dataset 'sirene-automobile', which releases.json lists: harvesters do not see it. The next publish writes it again.",
            ],
            Errors(site));
    }

    [Fact]
    public async Task A_download_that_is_not_a_file_of_latest_and_a_file_of_latest_left_out_are_errors()
    {
        using var site = await PublishedAsync();
        EditCatalog(site, c =>
        {
            Distributions(c, "acteurs").Remove(Distribution(c, "acteurs", "acteurs.geojson"));
            Distribution(c, "chiffres-cles", "chiffres-cles.csv")["dcat:downloadURL"]!["@id"] = $"{Home}datasets/chiffres-cles/2026-11-25/chiffres-cles.csv";
            Distribution(c, "sirene-automobile", "sirene-automobile.csv")["dcat:downloadURL"]!["@id"] = "https://elsewhere.example/sirene-automobile.csv";
        });

        Assert.Equal(1, await site.RunAsync("verify"));

        Assert.Equal(
            [
                "error: catalog.jsonld: 'acteurs': datasets/acteurs/latest/acteurs.geojson is not among its downloads: harvesters do not offer it. The next publish writes it again.",
                $"error: catalog.jsonld: 'chiffres-cles': a download at '{Home}datasets/chiffres-cles/2026-11-25/chiffres-cles.csv' is not a file of version 2026-11-25 in {Home}datasets/chiffres-cles/latest/: harvesters would offer a link that is not what latest/ serves. The next publish writes it again.",
                "error: catalog.jsonld: 'chiffres-cles': datasets/chiffres-cles/latest/chiffres-cles.csv is not among its downloads: harvesters do not offer it. The next publish writes it again.",
                $"error: catalog.jsonld: 'sirene-automobile': a download at 'https://elsewhere.example/sirene-automobile.csv' is not a file of version 2026-11-25 in {Home}datasets/sirene-automobile/latest/: harvesters would offer a link that is not what latest/ serves. The next publish writes it again.",
                "error: catalog.jsonld: 'sirene-automobile': datasets/sirene-automobile/latest/sirene-automobile.csv is not among its downloads: harvesters do not offer it. The next publish writes it again.",
            ],
            Errors(site));
    }

    [Fact]
    public async Task A_schema_the_catalogue_names_must_be_published()
    {
        using var site = await PublishedAsync();
        File.Delete(site.Path("datasets", "sirene-automobile", "latest", "schema-partition.json"));

        Assert.Equal(1, await site.RunAsync("verify"));

        var errors = Errors(site);
        Assert.StartsWith("error: datasets/sirene-automobile/latest/schema-partition.json: missing: latest/ must hold a copy of ", errors[0], StringComparison.Ordinal);
        Assert.Equal(13, errors.Count(e => e.StartsWith($"error: catalog.jsonld: 'sirene-automobile': datasets/sirene-automobile/latest/sirene-automobile/code_departement=", StringComparison.Ordinal)
            && e.EndsWith($"/part-0.parquet conforms to '{Home}datasets/sirene-automobile/latest/schema-partition.json', which is not published. The next publish writes it again.", StringComparison.Ordinal)));
        Assert.Equal(14, errors.Count); // the file, then each of the 13 départements' parts
    }

    [Theory]
    [InlineData("", "error: catalog.jsonld: not valid JSON (line 1): harvesters cannot read it. The next publish writes it again.")]
    [InlineData("{\"dcat:dataset\": []}", "error: catalog.jsonld: names no homepage (foaf:homepage, an absolute URL ending in '/'): its links, the sitemap's and the feed's were not checked. The next publish writes it again.")]
    [InlineData(null, "error: catalog.jsonld: missing: harvesters (DCAT-AP) find no dataset. The next publish writes it again.")]
    public async Task A_missing_or_unreadable_catalogue_is_an_error(string? text, string expected)
    {
        using var site = await PublishedAsync();
        if (text is null)
        {
            File.Delete(site.Path("catalog.jsonld"));
        }
        else
        {
            File.WriteAllText(site.Path("catalog.jsonld"), text);
        }

        Assert.Equal(1, await site.RunAsync("verify"));

        Assert.Equal([expected], Errors(site));
    }

    [Fact]
    public async Task Sitemap_and_feed_links_to_missing_pages_are_errors_and_links_elsewhere_are_not_ours()
    {
        using var site = await PublishedAsync();
        File.Delete(site.Path("datasets", "chiffres-cles", "index.html"));
        var sitemap = site.Path("sitemap.xml");
        File.WriteAllText(sitemap, File.ReadAllText(sitemap).Replace("</urlset>", "<url><loc>https://elsewhere.example/</loc></url></urlset>", StringComparison.Ordinal));
        var feed = site.Path("feed.atom");
        File.WriteAllText(feed, File.ReadAllText(feed).Replace("datasets/acteurs/2026-11-25/", "datasets/acteurs/2026-11-24/", StringComparison.Ordinal));

        Assert.Equal(1, await site.RunAsync("verify"));

        Assert.Equal(
            [
                "error: datasets/chiffres-cles/index.html: missing: the stable page of 'chiffres-cles', the link to its newest version. The next publish writes it again.",
                // The sitemap's link to that page is not reported again; the feed's to a page that never existed is.
                $"error: feed.atom: links to {Home}datasets/acteurs/2026-11-24/, which is not published (datasets/acteurs/2026-11-24/index.html is missing). The next publish writes it again.",
            ],
            Errors(site));
    }

    [Fact]
    public async Task Every_file_a_page_links_to_must_exist_and_the_next_publish_mends_the_site()
    {
        // Files no manifest lists and no sitemap names: every page's stylesheet, the about page
        // linked from every page, and the page the static website serves for unknown addresses.
        using var site = await PublishedAsync();
        File.Delete(site.Path("assets", "site.css"));
        File.Delete(site.Path("a-propos.html"));
        File.Delete(site.Path("404.html"));

        Assert.Equal(1, await site.RunAsync("verify"));

        // Reached from the home page: the home page, 3 stable pages and 3 version pages link to both.
        Assert.Equal(
            [
                "error: 404.html: missing: the page the site serves for an address it does not hold (the static website's error document). The next publish writes it again.",
                "error: a-propos.html: missing, linked from 7 page(s) (datasets/acteurs/2026-11-25/index.html, datasets/acteurs/index.html, datasets/chiffres-cles/2026-11-25/index.html and 4 more): a visitor following the link meets the 404 page. The next publish writes it again.",
                "error: assets/site.css: missing, linked from 7 page(s) (datasets/acteurs/2026-11-25/index.html, datasets/acteurs/index.html, datasets/chiffres-cles/2026-11-25/index.html and 4 more): a visitor following the link meets the 404 page. The next publish writes it again.",
            ],
            Errors(site));

        Assert.Equal(0, await site.RunAsync("publish"));
        Assert.Equal(0, await site.RunAsync("verify"));
        Assert.Contains("0 error(s), 0 warning(s): sound.", site.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_to_an_anchor_the_page_lacks_is_an_error()
    {
        using var site = await PublishedAsync();
        var home = site.Path("index.html");
        var html = File.ReadAllText(home);
        Assert.Contains("href=\"#contenu\"", html, StringComparison.Ordinal);
        File.WriteAllText(home, html.Replace("href=\"#contenu\"", "href=\"#ailleurs\"", StringComparison.Ordinal));
        var about = site.Path("a-propos.html");
        File.WriteAllText(about, File.ReadAllText(about).Replace("</main>", "<a href=\"datasets/acteurs/index.html#nulle-part\">x</a></main>", StringComparison.Ordinal));

        Assert.Equal(1, await site.RunAsync("verify"));

        Assert.Equal(
            [
                "error: a-propos.html: links to 'datasets/acteurs/index.html#nulle-part', but datasets/acteurs/index.html has no element with id 'nulle-part': the link opens the page at its top. The next publish writes it again.",
                "error: index.html: links to '#ailleurs', but index.html has no element with id 'ailleurs': the link opens the page at its top. The next publish writes it again.",
            ],
            Errors(site).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_root_relative_link_outside_the_base_path_is_an_error()
    {
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("publish", "--Site:BaseUrl=https://region.example/opendata/"));
        var notFound = site.Path("404.html");
        var html = File.ReadAllText(notFound);
        Assert.Contains("href=\"/opendata/assets/site.css\"", html, StringComparison.Ordinal); // root-relative, under the base path
        File.WriteAllText(notFound, html.Replace("href=\"/opendata/assets/site.css\"", "href=\"/assets/site.css\"", StringComparison.Ordinal));

        Assert.Equal(1, await site.RunAsync("verify"));

        Assert.Equal(
            ["error: 404.html: links to '/assets/site.css', which leaves the site (https://region.example/opendata/): the link is broken wherever the site is served. The next publish writes it again."],
            Errors(site));
    }

    [Fact]
    public async Task A_missing_version_page_is_reported_once_and_the_next_publish_renders_it_again()
    {
        using var site = await PublishedAsync();
        var page = site.Path("datasets", "acteurs", "2026-11-25", "index.html");
        var original = File.ReadAllBytes(page);
        var files = site.Snapshot();
        File.Delete(page);

        Assert.Equal(1, await site.RunAsync("verify"));

        // The sitemap, the feed and the pages link to it: one error, the version check's.
        Assert.Equal(["error: datasets/acteurs/2026-11-25/index.html: missing: version 2026-11-25's page, its permanent link for citations. The next publish renders it again from the version's published files."], Errors(site));

        // A publish with the same data makes no version, and puts the page back: the same bytes,
        // rendered from the same datapackage.json, CSV and releases.json. Nothing else of the
        // version's folder is written.
        Assert.Equal(0, await site.RunAsync("publish"));
        Assert.Contains("acteurs: the page of version 2026-11-25 (datasets/acteurs/2026-11-25/index.html) is missing from folder ", site.Log, StringComparison.Ordinal);
        Assert.Contains("no new version", site.Output, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllBytes(page));
        Assert.Equal(files, site.Snapshot());
        Assert.Equal(0, await site.RunAsync("verify"));
    }

    [Fact]
    public async Task A_malformed_feed_a_missing_sitemap_and_a_missing_home_page_are_errors()
    {
        using var site = await PublishedAsync();
        File.WriteAllText(site.Path("feed.atom"), "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>");
        File.Delete(site.Path("sitemap.xml"));
        File.Delete(site.Path("index.html"));

        Assert.Equal(1, await site.RunAsync("verify"));

        var errors = Errors(site);
        Assert.Equal(3, errors.Count);
        Assert.Equal("error: index.html: missing: the catalogue's home page. The next publish writes it again.", errors[0]);
        Assert.Equal("error: sitemap.xml: missing. The next publish writes it again.", errors[1]);
        Assert.StartsWith("error: feed.atom: not well-formed XML (line 1): ", errors[2], StringComparison.Ordinal);
    }
}
