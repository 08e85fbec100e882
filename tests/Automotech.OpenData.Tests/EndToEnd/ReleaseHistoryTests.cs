using System.Text.Json;
using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>What journalists rely on: versions are immutable, numbered by day, and latest/ follows.</summary>
public sealed class ReleaseHistoryTests
{
    [Fact]
    public async Task A_data_change_the_same_day_makes_version_2_and_leaves_version_1_untouched()
    {
        using var site = new DemoSite();
        var (source, key) = await PublishCopyOfDemoAsync(site);
        var first = site.Snapshot().Where(f => f.Key.StartsWith("datasets/acteurs/2026-11-25/", StringComparison.Ordinal)).ToList();
        Assert.Equal(7, first.Count); // csv, parquet, geojson, datapackage.json, schema.json, changelog.json, index.html

        // One fewer row (the last line goes) and one description rewritten (line 2's).
        var lines = File.ReadAllLines(source);
        var changed = lines[..^1];
        changed[1] = changed[1].Replace("Start-up fondée en 2021", "Start-up créée en 2021", StringComparison.Ordinal);
        Assert.NotEqual(lines[1], changed[1]);
        File.WriteAllLines(source, changed);
        site.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, key));

        var after = site.Snapshot();
        Assert.All(first, f => Assert.Equal(f.Value, after[f.Key]));
        Assert.True(after.ContainsKey("datasets/acteurs/2026-11-25.2/acteurs.parquet"));
        Assert.Equal(after["datasets/acteurs/2026-11-25.2/acteurs.csv"], after["datasets/acteurs/latest/acteurs.csv"]);

        using var manifest = File.OpenRead(site.Path("releases.json"));
        var releases = ReleaseManifest.Parse(manifest, "test").Find("acteurs")!;
        Assert.Equal(["2026-11-25", "2026-11-25.2"], releases.Versions.Select(v => v.Version));
        Assert.Equal(releases.Versions[0].Rows - 1, releases.Versions[1].Rows);
        var page = await File.ReadAllTextAsync(site.Path("datasets", "acteurs", "index.html"));
        Assert.Contains("href=\"2026-11-25/index.html\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"2026-11-25.2/index.html\"", page, StringComparison.Ordinal);

        using var package = JsonDocument.Parse(await File.ReadAllTextAsync(site.Path("datasets", "acteurs", "latest", "datapackage.json")));
        Assert.Equal("2026-11-25.2", package.RootElement.GetProperty("version").GetString());

        using var changelog = JsonDocument.Parse(await File.ReadAllTextAsync(site.Path("datasets", "acteurs", "2026-11-25.2", "changelog.json")));
        var c = changelog.RootElement;
        Assert.Equal(("2026-11-25", 0, 1, 1), (c.GetProperty("previous").GetString(), c.GetProperty("added").GetInt32(), c.GetProperty("removed").GetInt32(), c.GetProperty("modified").GetInt32()));
        Assert.Equal("description", Assert.Single(c.GetProperty("fields").EnumerateArray()).GetProperty("field").GetString());
        var versionPage = await File.ReadAllTextAsync(site.Path("datasets", "acteurs", "2026-11-25.2", "index.html"));
        Assert.Contains("0 ligne ajoutée, 1 retirée, 1 modifiée", versionPage, StringComparison.Ordinal);
        Assert.Contains("<td><code>description</code></td><td>1</td>", versionPage, StringComparison.Ordinal);

        // A version page is never rewritten: it holds nothing that a later version makes false
        // (no latest/ link or hash, no "latest" mark), and says newer versions may exist.
        var oldPage = await File.ReadAllTextAsync(site.Path("datasets", "acteurs", "2026-11-25", "index.html"));
        Assert.DoesNotContain("latest/", oldPage, StringComparison.Ordinal);
        Assert.DoesNotContain("(dernière)", oldPage, StringComparison.Ordinal);
        Assert.Contains("(cette version)", oldPage, StringComparison.Ordinal);
        Assert.Contains("Des versions plus récentes ont pu paraître depuis", oldPage, StringComparison.Ordinal);
        Assert.Contains("\"contentUrl\":\"https://opendata.automotech.example/datasets/acteurs/2026-11-25/acteurs.csv\"", oldPage, StringComparison.Ordinal);
        Assert.Contains("href=\"../2026-11-25/acteurs.csv\"", oldPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_metadata_change_alone_makes_a_new_version_so_the_catalogue_and_pages_show_it()
    {
        // An operator corrects the licence's URL in pipeline.yaml; the data do not change. The
        // version's datapackage.json is immutable, so only a new version can carry the fix: without
        // one, catalog.jsonld and every page keep announcing the old licence, and nothing says so.
        using var site = new DemoSite();
        var (pipelines, run) = CopyOfDefinitions(site, "acteurs", "chiffres-cles");
        Assert.Equal(0, await site.RunAsync(run));

        const string Old = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";
        const string New = "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf";
        var yaml = Path.Combine(pipelines, "acteurs", "pipeline.yaml");
        var text = await File.ReadAllTextAsync(yaml);
        Assert.Contains("url: " + Old, text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(yaml, text.Replace("url: " + Old, "url: " + New, StringComparison.Ordinal));
        site.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(0, await site.RunAsync(run));

        using var manifest = File.OpenRead(site.Path("releases.json"));
        var releases = ReleaseManifest.Parse(manifest, "test");
        Assert.Equal(["2026-11-25", "2026-12-02"], releases.Find("acteurs")!.Versions.Select(v => v.Version));
        Assert.Equal(["2026-11-25"], releases.Find("chiffres-cles")!.Versions.Select(v => v.Version)); // its metadata did not change
        using var catalog = JsonDocument.Parse(await File.ReadAllTextAsync(site.Path("catalog.jsonld")));
        var acteurs = catalog.RootElement.GetProperty("dcat:dataset").EnumerateArray().Single(d => d.GetProperty("dct:identifier").GetString()!.EndsWith("/acteurs/", StringComparison.Ordinal));
        Assert.All(acteurs.GetProperty("dcat:distribution").EnumerateArray(), d => Assert.Equal(New, d.GetProperty("dct:license").GetProperty("@id").GetString()));
        using var changelog = JsonDocument.Parse(await File.ReadAllTextAsync(site.Path("datasets", "acteurs", "2026-12-02", "changelog.json")));
        Assert.Equal(0, changelog.RootElement.GetProperty("added").GetInt32() + changelog.RootElement.GetProperty("removed").GetInt32() + changelog.RootElement.GetProperty("modified").GetInt32());

        // A reader of the new version's page is told why it exists: its page said "0 ligne ajoutée,
        // 0 retirée, 0 modifiée" and nothing else. The dataset's list of versions says it too.
        var page = System.Net.WebUtility.HtmlDecode(await File.ReadAllTextAsync(site.Path("datasets", "acteurs", "2026-12-02", "index.html")));
        Assert.Contains("Les lignes publiées sont celles de la version 2026-11-25, octet pour octet (même fichier CSV) : cette version change ses métadonnées (titre, description, licence, éditeur, contact, couverture, chiffres clés…).", page, StringComparison.Ordinal);
        var first = System.Net.WebUtility.HtmlDecode(await File.ReadAllTextAsync(site.Path("datasets", "acteurs", "2026-11-25", "index.html")));
        Assert.DoesNotContain("Les lignes publiées sont celles de la version", first, StringComparison.Ordinal);
        var index = System.Net.WebUtility.HtmlDecode(await File.ReadAllTextAsync(site.Path("datasets", "acteurs", "index.html")));
        Assert.Matches(@">2026-12-02</a> — [^<]*\(mêmes lignes, voir sa page\)", index);
        var feed = System.Xml.Linq.XDocument.Parse(await File.ReadAllTextAsync(site.Path("feed.atom")));
        System.Xml.Linq.XNamespace atom = "http://www.w3.org/2005/Atom";
        var entry = feed.Root!.Elements(atom + "entry").Single(e => e.Element(atom + "id")!.Value.EndsWith("/acteurs/2026-12-02/", StringComparison.Ordinal));
        Assert.EndsWith("Les lignes publiées sont celles de la version 2026-11-25, octet pour octet (même fichier CSV) : cette version change ses métadonnées (titre, description, licence, éditeur, contact, couverture, chiffres clés…).", entry.Element(atom + "summary")!.Value, StringComparison.Ordinal);

        // Nothing changed since: no version.
        site.Clock.Advance(TimeSpan.FromDays(7));
        var before = site.Snapshot();
        Assert.Equal(0, await site.RunAsync(run));
        Assert.Equal(before, site.Snapshot());
    }

    [Fact]
    public async Task A_metadata_change_alone_makes_a_new_version_so_the_catalogue_says_it()
    {
        // A corrected contact or licence in pipeline.yaml, the same data: the pages, the DCAT
        // catalogue and datapackage.json are built from the version's files, so without a new
        // version the correction would never be published.
        using var site = new DemoSite();
        var (pipelines, publish) = CopyOfDefinitions(site, "acteurs");
        Assert.Equal(0, await site.RunAsync(publish));
        var first = site.Snapshot().Where(f => f.Key.StartsWith("datasets/acteurs/2026-11-25/", StringComparison.Ordinal)).ToList();
        Assert.Equal(7, first.Count); // csv, parquet, geojson, datapackage.json, schema.json, changelog.json, index.html

        var yaml = Path.Combine(pipelines, "acteurs", "pipeline.yaml");
        var text = await File.ReadAllTextAsync(yaml);
        var corrected = text.Replace("email: opendata@automotech.example", "email: donnees@automotech.example", StringComparison.Ordinal);
        Assert.NotEqual(text, corrected);
        await File.WriteAllTextAsync(yaml, corrected);
        site.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await site.RunAsync(publish));

        Assert.Contains("new: acteurs 2026-11-25.2", site.Output, StringComparison.Ordinal);
        var after = site.Snapshot();
        Assert.All(first, f => Assert.Equal(f.Value, after[f.Key]));
        Assert.Equal(after["datasets/acteurs/2026-11-25/acteurs.csv"], after["datasets/acteurs/latest/acteurs.csv"]);
        Assert.Contains("donnees@automotech.example", await File.ReadAllTextAsync(site.Path("datasets", "acteurs", "latest", "datapackage.json")), StringComparison.Ordinal);
        Assert.Contains("donnees@automotech.example", await File.ReadAllTextAsync(site.Path("catalog.jsonld")), StringComparison.Ordinal);
        using (var changelog = JsonDocument.Parse(await File.ReadAllTextAsync(site.Path("datasets", "acteurs", "2026-11-25.2", "changelog.json"))))
        {
            var c = changelog.RootElement;
            Assert.Equal((0, 0, 0), (c.GetProperty("added").GetInt32(), c.GetProperty("removed").GetInt32(), c.GetProperty("modified").GetInt32()));
        }

        // And once published, the same definition again changes nothing.
        site.Clock.Advance(TimeSpan.FromHours(1));
        var published = site.Snapshot();
        Assert.Equal(0, await site.RunAsync(publish));
        Assert.Contains("no new version", site.Output, StringComparison.Ordinal);
        Assert.Equal(published, site.Snapshot());
    }

    [Fact]
    public async Task The_next_day_starts_a_new_date()
    {
        using var site = new DemoSite();
        var (source, key) = await PublishCopyOfDemoAsync(site);
        File.WriteAllLines(source, File.ReadAllLines(source)[..^2]);
        site.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, key));
        Assert.True(File.Exists(site.Path("datasets", "acteurs", "2026-12-02", "acteurs.csv")));
    }

    [Fact]
    public async Task A_version_of_the_first_of_the_month_says_1er_in_its_citation_page_and_feed()
    {
        using var site = new DemoSite();
        var (source, key) = await PublishCopyOfDemoAsync(site);
        var first = site.Snapshot().Where(f => f.Key.StartsWith("datasets/acteurs/2026-11-25/", StringComparison.Ordinal)).ToList();
        Assert.Equal(7, first.Count); // csv, parquet, geojson, datapackage.json, schema.json, changelog.json, index.html
        File.WriteAllLines(source, File.ReadAllLines(source)[..^2]);
        site.Clock.Advance(TimeSpan.FromDays(6));
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, key));

        var page = await File.ReadAllTextAsync(site.Path("datasets", "acteurs", "2026-12-01", "index.html"));
        Assert.Contains("version 2026-12-01, jeu de données publié le 1er décembre 2026, ", page, StringComparison.Ordinal);
        Assert.Contains("1er décembre 2026 à ", page, StringComparison.Ordinal);
        Assert.DoesNotContain(" 1 décembre", page, StringComparison.Ordinal);
        Assert.Contains("1er décembre 2026 à ", await File.ReadAllTextAsync(site.Path("datasets", "acteurs", "index.html")), StringComparison.Ordinal);
        var feed = await File.ReadAllTextAsync(site.Path("feed.atom"));
        Assert.Contains("publiées le 1er décembre 2026 à ", feed, StringComparison.Ordinal);
        Assert.DoesNotContain(" 1 décembre", feed, StringComparison.Ordinal);

        // The first version's page is not rendered again: its bytes are those published.
        var after = site.Snapshot();
        Assert.All(first, f => Assert.Equal(f.Value, after[f.Key]));
    }

    [Fact]
    public async Task A_new_title_names_the_new_version_and_leaves_the_older_versions_feed_entries_as_they_were()
    {
        using var site = new DemoSite();
        var (pipelines, publish) = CopyOfDefinitions(site, "acteurs");
        Assert.Equal(0, await site.RunAsync(publish));
        const string oldTitle = "Acteurs de la filière automobile en Occitanie (Automotech)";
        const string newTitle = "Acteurs de la filière automobile et des mobilités en Occitanie";

        // releases.json as a run before per-version titles wrote it: read back all the same.
        var manifestPath = site.Path("releases.json");
        var written = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;
        foreach (var version in written["datasets"]![0]!["versions"]!.AsArray())
        {
            version!.AsObject().Remove("title");
        }

        await File.WriteAllTextAsync(manifestPath, written.ToJsonString());

        var yaml = Path.Combine(pipelines, "acteurs", "pipeline.yaml");
        var text = await File.ReadAllTextAsync(yaml);
        var renamed = text.Replace($"title: {oldTitle}", $"title: {newTitle}", StringComparison.Ordinal);
        Assert.NotEqual(text, renamed);
        await File.WriteAllTextAsync(yaml, renamed);
        site.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(0, await site.RunAsync(publish));
        Assert.Contains("new: acteurs 2026-12-02", site.Output, StringComparison.Ordinal);

        System.Xml.Linq.XNamespace atom = "http://www.w3.org/2005/Atom";
        var titles = System.Xml.Linq.XDocument.Load(site.Path("feed.atom")).Root!.Elements(atom + "entry")
            .ToDictionary(e => e.Element(atom + "id")!.Value, e => e.Element(atom + "title")!.Value);
        Assert.Equal($"{oldTitle} — version 2026-11-25", titles["https://opendata.automotech.example/datasets/acteurs/2026-11-25/"]);
        Assert.Equal($"{newTitle} — version 2026-12-02", titles["https://opendata.automotech.example/datasets/acteurs/2026-12-02/"]);

        // Each version's title is kept in releases.json, so the next runs keep them too.
        await using var manifest = File.OpenRead(manifestPath);
        var releases = ReleaseManifest.Parse(manifest, "test").Find("acteurs")!;
        Assert.Equal(newTitle, releases.Title);
        Assert.Equal([oldTitle, newTitle], releases.Versions.Select(releases.TitleOf));
    }

    [Fact]
    public async Task A_version_folder_left_by_a_killed_run_is_never_overwritten_and_the_next_run_numbers_past_it()
    {
        using var site = new DemoSite();
        var (source, key) = await PublishCopyOfDemoAsync(site);

        // What a run killed while uploading leaves: a version's file, not listed in releases.json;
        // then the data change the same day. That folder was never released: the run numbers past
        // it, with no one to delete it first (the weekly job is unattended), and leaves it as it is.
        var orphan = site.Path("datasets", "acteurs", "2026-11-25.2", "acteurs.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(orphan)!);
        File.WriteAllText(orphan, "half a file");
        File.WriteAllLines(source, File.ReadAllLines(source)[..^1]);
        site.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, key));

        Assert.Contains("new: acteurs 2026-11-25.3", site.Output, StringComparison.Ordinal);
        Assert.Equal("half a file", File.ReadAllText(orphan));
        Assert.Equal([orphan], Directory.EnumerateFiles(Path.GetDirectoryName(orphan)!));
        using (var manifest = File.OpenRead(site.Path("releases.json")))
        {
            Assert.Equal(["2026-11-25", "2026-11-25.3"], ReleaseManifest.Parse(manifest, "test").Find("acteurs")!.Versions.Select(v => v.Version));
        }
        Assert.Equal(File.ReadAllBytes(site.Path("datasets", "acteurs", "2026-11-25.3", "acteurs.csv")), File.ReadAllBytes(site.Path("datasets", "acteurs", "latest", "acteurs.csv")));
    }

    /// <summary>
    /// A copy of the shipped definitions of <paramref name="ids"/>, to edit, and the arguments that
    /// publish acteurs with them from a copy of the demo source (a copy needs a real key).
    /// </summary>
    private static (string Pipelines, string[] Publish) CopyOfDefinitions(DemoSite site, params string[] ids)
    {
        var pipelines = site.Temp("pipelines");
        foreach (var id in ids)
        {
            Directory.CreateDirectory(Path.Combine(pipelines, id));
            foreach (var file in Directory.GetFiles(Path.Combine(Repo.Pipelines, id)))
            {
                File.Copy(file, Path.Combine(pipelines, id, Path.GetFileName(file)));
            }
        }

        var source = site.Temp("source.csv");
        File.Copy(Repo.DemoSource, source);
        return (pipelines, ["publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={new string('k', 40)}", $"--Pipeline:Directory={pipelines}"]);
    }

    /// <summary>Publishes a copy of the demo source (a copy needs a real key), returning its path and key argument.</summary>
    /// <summary>
    /// A harvester run after a second version sees the same dataset and distributions (same URIs),
    /// first issued with version 1 and modified with version 2, as releases.json says; the dataset
    /// page's schema.org description (what Google Dataset Search harvests, under the same @id) says
    /// the same dates; and the catalogue of this multi-version, multi-dataset tree still conforms.
    /// </summary>
    [Fact]
    public async Task After_a_second_version_the_catalogue_and_the_dataset_page_date_the_dataset_from_its_first_release()
    {
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("publish")); // every pipeline of pipelines/
        var catalogBefore = await File.ReadAllTextAsync(site.Path("catalog.jsonld"));
        var (source, key) = await PublishCopyOfDemoAsync(site);
        site.Clock.Advance(TimeSpan.FromDays(7));
        File.WriteAllLines(source, File.ReadAllLines(source)[..^1]);
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, key));

        using var manifest = File.OpenRead(site.Path("releases.json"));
        var releases = ReleaseManifest.Parse(manifest, "test").Find("acteurs")!;
        Assert.True(releases.Versions.Count >= 2);
        var (issued, modified) = (PublicationTime.Iso(releases.Versions[0].Published), PublicationTime.Iso(releases.Versions[^1].Published));
        Assert.NotEqual(issued, modified);

        using var catalog = JsonDocument.Parse(await File.ReadAllTextAsync(site.Path("catalog.jsonld")));
        using var before = JsonDocument.Parse(catalogBefore);
        string[] Uris(JsonDocument d) => [.. d.RootElement.GetProperty("dcat:dataset").EnumerateArray()
            .SelectMany(x => x.GetProperty("dcat:distribution").EnumerateArray().Select(y => y.GetProperty("@id").GetString()!).Prepend(x.GetProperty("@id").GetString()!))];
        Assert.Equal(Uris(before), Uris(catalog));
        var dataset = catalog.RootElement.GetProperty("dcat:dataset").EnumerateArray().Single(d => d.GetProperty("@id").GetString()!.EndsWith("/acteurs/", StringComparison.Ordinal));
        Assert.Equal(issued, dataset.GetProperty("dct:issued").GetProperty("@value").GetString());
        Assert.Equal(modified, dataset.GetProperty("dct:modified").GetProperty("@value").GetString());
        await Site.CatalogTests.AssertConformsToShapesAsync(site.Path("catalog.jsonld"));

        var page = await File.ReadAllTextAsync(site.Path("datasets", "acteurs", "index.html"));
        using var schemaOrg = JsonDocument.Parse(System.Text.RegularExpressions.Regex.Match(page, "<script type=\"application/ld\\+json\">(.*?)</script>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value);
        Assert.Equal(dataset.GetProperty("@id").GetString(), schemaOrg.RootElement.GetProperty("@id").GetString());
        Assert.Equal(issued, schemaOrg.RootElement.GetProperty("datePublished").GetString());
        Assert.Equal(modified, schemaOrg.RootElement.GetProperty("dateModified").GetString());

        // A version's own page describes that version: published when it was.
        var versionPage = await File.ReadAllTextAsync(site.Path("datasets", "acteurs", releases.Versions[^1].Version, "index.html"));
        Assert.Contains($"\"datePublished\":\"{modified}\"", versionPage, StringComparison.Ordinal);
    }

    private static async Task<(string Source, string Key)> PublishCopyOfDemoAsync(DemoSite site)
    {
        var key = $"--Anonymisation:Key={new string('k', 40)}";
        var source = site.Temp("source.csv");
        File.Copy(Repo.DemoSource, source);
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, key));
        return (source, key);
    }
}
