using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;
using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Tests.Site;

/// <summary>The machine-readable files harvesters read: DCAT-AP catalogue, Atom feed, sitemap.</summary>
public sealed class CatalogTests : IClassFixture<CatalogTests.Published>
{
    private static readonly Uri BaseUrl = new("https://opendata.automotech.example/");
    private readonly EndToEnd.DemoSite site;

    public CatalogTests(Published published) => site = published.Site;

    [Fact]
    public Task The_catalogue_conforms_to_the_official_DCAT_AP_3_SHACL_shapes() => AssertConformsToShapesAsync(site.Path("catalog.jsonld"));

    /// <summary>Runs the SHACL validator (tests/shacl) on a catalogue: it must conform, with a real graph.</summary>
    internal static async Task AssertConformsToShapesAsync(string catalog)
    {
        var folder = Path.Combine(Repo.Root, "tests", "shacl");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "rdf-validate-shacl")), "run scripts/test.sh: it installs the SHACL validator's npm packages");
        var (code, report, errors) = await ChildProcess.RunAsync(new ProcessStartInfo("node") { WorkingDirectory = folder }, ["validate.mjs", "dcat-ap-3.0.1-shacl.ttl", catalog]);
        Assert.True(code == 0, report + errors);
        using var json = JsonDocument.Parse(report);
        Assert.True(json.RootElement.GetProperty("conforms").GetBoolean());
        Assert.True(json.RootElement.GetProperty("triples").GetInt32() > 50);
    }

    [Fact]
    public void Each_dataset_has_what_data_gouv_fr_harvests()
    {
        using var catalog = JsonDocument.Parse(File.ReadAllText(site.Path("catalog.jsonld")));
        Assert.Equal(JsonValueKind.Object, catalog.RootElement.GetProperty("@context").ValueKind); // inline, no fetch
        var dataset = catalog.RootElement.GetProperty("dcat:dataset")[0];
        Assert.Equal("https://opendata.automotech.example/datasets/acteurs/", dataset.GetProperty("dct:identifier").GetString());
        var modified = DateTimeOffset.Parse(dataset.GetProperty("dct:modified").GetProperty("@value").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(modified <= EndToEnd.DemoSite.RunTime, "dct:modified is never in the future");
        Assert.Matches(@"^POLYGON\(\(-?\d+\.\d+ \d+\.\d+, ", dataset.GetProperty("dct:spatial").GetProperty("dcat:bbox").GetProperty("@value").GetString());
        Assert.Equal("http://publications.europa.eu/resource/authority/frequency/WEEKLY", dataset.GetProperty("dct:accrualPeriodicity").GetProperty("@id").GetString());
        Assert.Equal(
            ["http://publications.europa.eu/resource/authority/data-theme/ECON", "http://publications.europa.eu/resource/authority/data-theme/REGI"],
            dataset.GetProperty("dcat:theme").EnumerateArray().Select(t => t.GetProperty("@id").GetString())); // as pipelines/acteurs declares

        var distributions = dataset.GetProperty("dcat:distribution").EnumerateArray().ToList();
        Assert.Equal(3, distributions.Count); // CSV, Parquet, GeoJSON
        foreach (var d in distributions)
        {
            var url = d.GetProperty("dcat:downloadURL").GetProperty("@id").GetString()!;
            Assert.Contains("/latest/", url, StringComparison.Ordinal);
            var file = LocalPath(url);
            Assert.Equal(new FileInfo(file).Length.ToString(System.Globalization.CultureInfo.InvariantCulture), d.GetProperty("dcat:byteSize").GetProperty("@value").GetString());
            Assert.Equal(FileHash.Sha256(file), d.GetProperty("spdx:checksum").GetProperty("spdx:checksumValue").GetProperty("@value").GetString());
            Assert.StartsWith("http://www.iana.org/assignments/media-types/", d.GetProperty("dcat:mediaType").GetProperty("@id").GetString(), StringComparison.Ordinal);
            Assert.True(File.Exists(LocalPath(d.GetProperty("dct:conformsTo").GetProperty("@id").GetString()!)), "the Table Schema is published");
            Assert.Equal("https://www.etalab.gouv.fr/licence-ouverte-open-licence/", d.GetProperty("dct:license").GetProperty("@id").GetString());
        }
    }

    [Fact]
    public void Each_part_of_a_partitioned_output_is_a_distribution_titled_by_its_part_and_formats_are_listed_once()
    {
        using var catalog = JsonDocument.Parse(File.ReadAllText(site.Path("catalog.jsonld")));
        var sirene = catalog.RootElement.GetProperty("dcat:dataset").EnumerateArray()
            .Single(d => d.GetProperty("dct:identifier").GetString()!.EndsWith("/sirene-automobile/", StringComparison.Ordinal));
        var titles = sirene.GetProperty("dcat:distribution").EnumerateArray()
            .Select(d => d.GetProperty("dct:title").GetProperty("@value").GetString()!).ToList();
        Assert.Equal(titles.Count, titles.Distinct().Count());
        Assert.Contains(titles, t => t.EndsWith("(Parquet, partie code_departement = 31, dernière version)", StringComparison.Ordinal));

        // The contact point's fragment names an element of the dataset page.
        var contact = sirene.GetProperty("dcat:contactPoint").GetProperty("@id").GetString()!;
        Assert.EndsWith("/datasets/sirene-automobile/#contact", contact, StringComparison.Ordinal);
        Assert.Contains("id=\"contact\"", File.ReadAllText(site.Path("datasets", "sirene-automobile", "index.html")), StringComparison.Ordinal);

        var home = File.ReadAllText(site.Path("index.html"));
        Assert.Contains("data-formats=\"CSV PARQUET\"", home, StringComparison.Ordinal);
        Assert.DoesNotContain("PARQUET PARQUET", home, StringComparison.Ordinal);
    }

    [Fact]
    public void Formats_are_written_as_their_names_on_the_pages_and_in_the_catalogue_titles()
    {
        // Pages and titles wrote PARQUET and GEOJSON, the file type vocabulary's codes, where a
        // reader knows Parquet and GeoJSON; the codes stay where machines read them (dct:format,
        // the home page's filter).
        var home = File.ReadAllText(site.Path("index.html"));
        Assert.Contains("<dt>Formats</dt><dd>CSV, Parquet, GeoJSON</dd>", home, StringComparison.Ordinal);
        var acteurs = File.ReadAllText(site.Path("datasets", "acteurs", "index.html"));
        Assert.Contains("<td>acteurs.parquet</td><td>Parquet</td>", acteurs, StringComparison.Ordinal);
        Assert.Contains("<td>acteurs.geojson</td><td>GeoJSON</td>", acteurs, StringComparison.Ordinal);
        Assert.Contains("<td>datapackage.json</td><td>JSON</td>", acteurs, StringComparison.Ordinal);
        var sirene = File.ReadAllText(site.Path("datasets", "sirene-automobile", "index.html"));
        Assert.Contains(">Parquet partitionné par code_departement", sirene, StringComparison.Ordinal);
        foreach (var page in new[] { home, acteurs, sirene })
        {
            Assert.DoesNotContain(">PARQUET", page, StringComparison.Ordinal);
            Assert.DoesNotContain(">GEOJSON", page, StringComparison.Ordinal);
        }

        using var catalog = JsonDocument.Parse(File.ReadAllText(site.Path("catalog.jsonld")));
        var distributions = catalog.RootElement.GetProperty("dcat:dataset").EnumerateArray().SelectMany(d => d.GetProperty("dcat:distribution").EnumerateArray()).ToList();
        Assert.Contains(distributions, d => d.GetProperty("dct:title").GetProperty("@value").GetString()!.EndsWith("(GeoJSON, dernière version)", StringComparison.Ordinal));
        Assert.Contains(distributions, d => d.GetProperty("dct:format").GetProperty("@id").GetString()!.EndsWith("/file-type/GEOJSON", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_distribution_has_the_columns_of_the_schema_it_conforms_to()
    {
        // A harvester takes dct:conformsTo at its word: a part of the partitioned Parquet
        // (code_departement=31/part-0.parquet) said it followed schema.json, whose required
        // code_departement the part does not hold (it is in the folder's name, as in Hive).
        using var catalog = JsonDocument.Parse(File.ReadAllText(site.Path("catalog.jsonld")));
        var checkedParts = 0;
        foreach (var dataset in catalog.RootElement.GetProperty("dcat:dataset").EnumerateArray())
        {
            foreach (var d in dataset.GetProperty("dcat:distribution").EnumerateArray())
            {
                var file = LocalPath(d.GetProperty("dcat:downloadURL").GetProperty("@id").GetString()!);
                var schemaUrl = d.GetProperty("dct:conformsTo").GetProperty("@id").GetString()!;
                using var schema = JsonDocument.Parse(File.ReadAllText(LocalPath(schemaUrl)));
                var fields = schema.RootElement.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToList();
                var columns = Path.GetExtension(file) switch
                {
                    ".csv" => File.ReadLines(file).First().Split(',').ToList(),
                    ".parquet" => DuckDb.Query($"DESCRIBE SELECT * FROM read_parquet({DuckDb.Quote(file)}, hive_partitioning = false)").Select(r => (string)r[0]!).ToList(),
                    ".geojson" => JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("features")[0].GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList(),
                    var other => throw new InvalidOperationException(other),
                };
                Assert.True(fields.SequenceEqual(columns), $"{file}: columns {string.Join(",", columns)}; {schemaUrl}: fields {string.Join(",", fields)}");
                if (file.Contains('=', StringComparison.Ordinal))
                {
                    checkedParts++;
                    if (schema.RootElement.TryGetProperty("primaryKey", out var key))
                    {
                        Assert.All(key.ValueKind == JsonValueKind.Array ? key.EnumerateArray().Select(k => k.GetString()!) : [key.GetString()!], k => Assert.Contains(k, fields));
                    }
                }
            }
        }

        Assert.True(checkedParts >= 10, "the partitioned Parquet of sirene-automobile is in the catalogue");
    }

    [Fact]
    public void The_feed_has_one_entry_per_release_and_the_sitemap_only_existing_pages()
    {
        XNamespace atom = "http://www.w3.org/2005/Atom";
        var feed = XDocument.Load(site.Path("feed.atom"));
        using var manifest = File.OpenRead(site.Path("releases.json"));
        var releases = ReleaseManifest.Parse(manifest, "test");
        Assert.Equal(releases.Datasets.Sum(d => d.Versions.Count), feed.Root!.Elements(atom + "entry").Count());
        Assert.All(feed.Root.Elements(atom + "entry"), e => Assert.True(Directory.Exists(LocalPath(e.Element(atom + "id")!.Value))));

        XNamespace sm = "http://www.sitemaps.org/schemas/sitemap/0.9";
        var urls = XDocument.Load(site.Path("sitemap.xml")).Root!.Elements(sm + "url").Select(u => u.Element(sm + "loc")!.Value).ToList();
        Assert.True(urls.Count >= 3);
        Assert.All(urls, u => Assert.True(File.Exists(Path.Combine(LocalPath(u), "index.html")), u));
        Assert.Contains("Sitemap: https://opendata.automotech.example/sitemap.xml", File.ReadAllText(site.Path("robots.txt")), StringComparison.Ordinal);
    }

    private string LocalPath(string url)
    {
        Assert.StartsWith(BaseUrl.AbsoluteUri, url, StringComparison.Ordinal);
        return site.Path(url[BaseUrl.AbsoluteUri.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries));
    }

    public sealed class Published : IAsyncLifetime
    {
        public EndToEnd.DemoSite Site { get; } = new();

        public async Task InitializeAsync() => Assert.Equal(0, await Site.RunAsync("publish"));

        public Task DisposeAsync()
        {
            Site.Dispose();
            return Task.CompletedTask;
        }
    }
}
