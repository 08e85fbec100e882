using System.Net;
using System.Text.Json;
using System.Xml.Linq;

namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>
/// A data engineer loads latest/ every week; a journalist compares two versions. When the published
/// schema changes (a field added, one removed, a type changed), the version says so where they read:
/// changelog.json, the pages, the feed and the catalogue. Before, only the CSV header was noticed, and
/// every row was counted as modified.
/// </summary>
public sealed class StructureChangeTests : IClassFixture<StructureChangeTests.Published>
{
    /// <summary>A field name a loader would have to quote, and a page to escape.</summary>
    private const string Odd = "taux_r&d<pct>";

    private const string SchemaV2 = """
        {
          "fields": [
            { "name": "code_formation", "type": "string", "constraints": { "required": true, "unique": true } },
            { "name": "intitule", "type": "string", "constraints": { "required": true } },
            { "name": "places", "type": "number" },
            { "name": "taux_r&d<pct>", "type": "number" }
          ],
          "primaryKey": "code_formation"
        }
        """;

    private const string Head = FormationsDataset.Metadata + "  update_frequency: hebdomadaire\n" + FormationsDataset.Source;

    private const string YamlV1 = Head + FormationsDataset.Fields;

    private const string YamlV2 = Head + """
              - { name: places, type: number }
              - { name: taux, type: number }
        fields:
          code_formation: { from: code_formation }
          intitule: { from: intitule }
          places: { from: places }
          "taux_r&d<pct>": { from: taux }
        """;

    private const string CsvV1 = "code_formation,intitule,code_commune,places\nF001,Ingénieur mécatronique (fictif),31555,40\nF002,BTS maintenance (fictif),81004,24\nF003,Licence pro (fictive),34172,18\n";

    // The same three rows, one title rewritten; code_commune gone, taux new.
    private const string CsvV2 = "code_formation,intitule,places,taux\nF001,Ingénieur mécatronique (fictif),40,2.5\nF002,BTS maintenance automobile (fictif),24,1\nF003,Licence pro (fictive),18,0\n";

    private const string V1 = "2026-11-25";
    private const string V2 = "2026-12-02";
    private const string V3 = "2026-12-09";

    /// <summary>The sentence in plain text (the feed, the catalogue); a page sets each name in &lt;code&gt; instead of « ».</summary>
    private const string Sentence = "Structure modifiée depuis la version 2026-11-25 : champ ajouté « taux_r&d<pct> » (number) ; champ retiré « code_commune » ; type de « places » : integer → number.";

    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private readonly Published published;

    public StructureChangeTests(Published published) => this.published = published;

    private DemoSite Site => published.Site;

    /// <summary>Three weekly publishes: the second changes the schema, the third only a row.</summary>
    public sealed class Published : IAsyncLifetime
    {
        public DemoSite Site { get; } = new();

        /// <summary>The dataset's page and the catalogue as the second publish left them.</summary>
        public Dictionary<string, string> AfterV2 { get; private set; } = [];

        public async Task InitializeAsync()
        {
            Write(Site, FormationsDataset.Schema, YamlV1, CsvV1);
            Assert.Equal(0, await PublishAsync(Site));
            Write(Site, SchemaV2, YamlV2, CsvV2);
            Site.Clock.Advance(TimeSpan.FromDays(7));
            Assert.Equal(0, await PublishAsync(Site));
            AfterV2 = new()
            {
                ["datasets/formations/index.html"] = await File.ReadAllTextAsync(Site.Path("datasets", "formations", "index.html")),
                ["catalog.jsonld"] = await File.ReadAllTextAsync(Site.Path("catalog.jsonld")),
            };
            Write(Site, SchemaV2, YamlV2, CsvV2.Replace(",18,0\n", ",20,0\n", StringComparison.Ordinal));
            Site.Clock.Advance(TimeSpan.FromDays(7));
            Assert.Equal(0, await PublishAsync(Site));
        }

        public Task DisposeAsync()
        {
            Site.Dispose();
            return Task.CompletedTask;
        }
    }

    private static void Write(DemoSite site, string schema, string yaml, string csv) => FormationsDataset.Write(site, schema, yaml, csv);

    private static Task<int> PublishAsync(DemoSite site) => FormationsDataset.PublishAsync(site);

    private string Read(params string[] path) => File.ReadAllText(Site.Path(path));

    private static string Text(string html) => WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", ""));

    private static string Summary(string feed, string version) =>
        XDocument.Parse(feed).Root!.Elements(Atom + "entry").Single(e => e.Element(Atom + "id")!.Value.EndsWith($"/formations/{version}/", StringComparison.Ordinal)).Element(Atom + "summary")!.Value;

    [Fact]
    public void The_changelog_lists_each_structural_change_with_what_it_was_and_what_it_is()
    {
        using var changelog = JsonDocument.Parse(Read("datasets", "formations", V2, "changelog.json"));
        var structure = changelog.RootElement.GetProperty("structure").EnumerateArray().ToList();
        Assert.Equal(
            [("field-added", Odd), ("field-removed", "code_commune"), ("type", "places")],
            structure.Select(s => (s.GetProperty("change").GetString(), s.GetProperty("field").GetString())));
        Assert.Equal("number", structure[0].GetProperty("after").GetProperty("type").GetString());
        Assert.Equal("string", structure[1].GetProperty("before").GetProperty("type").GetString());
        Assert.Equal(("integer", "number"), (structure[2].GetProperty("before").GetString(), structure[2].GetProperty("after").GetString()));

        // releases.json says it too (the feed and the lists of versions read it); not for a first version.
        using var manifest = JsonDocument.Parse(Read("releases.json"));
        var versions = manifest.RootElement.GetProperty("datasets").EnumerateArray().Single().GetProperty("versions").EnumerateArray().ToList();
        Assert.False(versions[0].GetProperty("changes").TryGetProperty("structure", out _));
        Assert.Equal(
            ["field-added", "field-removed", "type"],
            versions[1].GetProperty("changes").GetProperty("structure").EnumerateArray().Select(s => s.GetProperty("change").GetString()));

        // As a warehouse's loader reads the Parquet: the columns and types the changelog announces.
        var columns = DuckDb.Query($"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet({DuckDb.Quote(Site.Path("datasets", "formations", V2, "formations.parquet"))}))");
        Assert.Equal(
            [("code_formation", "VARCHAR"), ("intitule", "VARCHAR"), ("places", "DOUBLE"), (Odd, "DOUBLE")],
            columns.Select(c => ((string)c[0]!, (string)c[1]!)));
    }

    [Fact]
    public void Rows_are_compared_on_the_fields_both_versions_hold_not_all_counted_modified_for_a_new_header()
    {
        // Before: 3 rows modified (every row, for its header), taux_r&d<pct> "changed" in each.
        using var changelog = JsonDocument.Parse(Read("datasets", "formations", V2, "changelog.json"));
        var c = changelog.RootElement;
        Assert.Equal((V1, 0, 0, 1, 2), (c.GetProperty("previous").GetString(), c.GetProperty("added").GetInt32(), c.GetProperty("removed").GetInt32(), c.GetProperty("modified").GetInt32(), c.GetProperty("unchanged").GetInt32()));
        Assert.Equal(["intitule"], c.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("field").GetString()));

        Assert.Contains(
            "par clé primaire, sur les champs que les deux versions ont en commun (un champ ajouté ou retiré ne compte pas comme une modification de chaque ligne) : 0 ligne ajoutée, 0 retirée, 1 modifiée, 2 inchangées.",
            Text(Read("datasets", "formations", V2, "index.html")), StringComparison.Ordinal);
        Assert.Contains($"Depuis {V1} : 0 ligne ajoutée, 0 retirée, 1 modifiée.", Summary(Read("feed.atom"), V2), StringComparison.Ordinal);
    }

    [Fact]
    public void The_version_page_and_the_dataset_page_say_it_in_one_sentence_each_name_escaped()
    {
        foreach (var html in new[] { Read("datasets", "formations", V2, "index.html"), published.AfterV2["datasets/formations/index.html"] })
        {
            Assert.Contains("<code>taux_r&amp;d&lt;pct&gt;</code>", html, StringComparison.Ordinal);
            Assert.DoesNotContain(Odd, html, StringComparison.Ordinal);
            Assert.Contains(Sentence.Replace("« ", "", StringComparison.Ordinal).Replace(" »", "", StringComparison.Ordinal), Text(html), StringComparison.Ordinal);
            Assert.Matches($@"{V2} — [^\n]* : 0 ajoutée, 0 retirée, 1 modifiée ; structure modifiée", Text(html));
        }

        Assert.DoesNotContain("Structure modifiée", Read("datasets", "formations", V1, "index.html"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_about_page_says_what_a_change_of_structure_is_and_where_it_is_said() =>
        Assert.Contains(
            "et dit quand la structure de ses fichiers a changé (un champ ajouté ou retiré, le type, le format ou les contraintes d'un champ, la clé primaire, l'ordre des champs) : sa page, le flux Atom et le catalogue DCAT-AP le disent, et son fichier changelog.json en donne le détail. Ses lignes sont alors comparées sur les champs que les deux versions ont en commun.",
            Text(Read("a-propos.html")), StringComparison.Ordinal);

    [Fact]
    public void The_feed_entry_of_the_version_says_it()
    {
        var summary = Summary(Read("feed.atom"), V2);
        Assert.Contains(Sentence, summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Structure", Summary(Read("feed.atom"), V1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_catalogue_says_it_as_adms_versionNotes_and_still_conforms_to_DCAT_AP_3()
    {
        using (var catalog = JsonDocument.Parse(published.AfterV2["catalog.jsonld"]))
        {
            Assert.Equal("http://www.w3.org/ns/adms#", catalog.RootElement.GetProperty("@context").GetProperty("adms").GetString());
            var notes = catalog.RootElement.GetProperty("dcat:dataset").EnumerateArray().Single().GetProperty("adms:versionNotes");
            Assert.Equal((Sentence, "fr"), (notes.GetProperty("@value").GetString(), notes.GetProperty("@language").GetString()));
        }

        var file = Site.Temp("catalog-v2.jsonld");
        await File.WriteAllTextAsync(file, published.AfterV2["catalog.jsonld"]);
        await Automotech.OpenData.Tests.Site.CatalogTests.AssertConformsToShapesAsync(file);
    }

    [Fact]
    public async Task A_version_with_the_same_structure_says_nothing_about_structure()
    {
        using (var changelog = JsonDocument.Parse(Read("datasets", "formations", V3, "changelog.json")))
        {
            Assert.Equal(0, changelog.RootElement.GetProperty("structure").GetArrayLength()); // compared, and the same
            Assert.Equal(1, changelog.RootElement.GetProperty("modified").GetInt32());
        }

        foreach (var html in new[] { Read("datasets", "formations", V3, "index.html"), Read("datasets", "formations", "index.html") })
        {
            var text = Text(html);
            Assert.DoesNotContain("Structure modifiée", text, StringComparison.Ordinal);
            Assert.DoesNotContain("sur les champs que les deux versions ont en commun", text, StringComparison.Ordinal);
            Assert.Matches($@"{V3} — [^\n]* : 0 ajoutée, 0 retirée, 1 modifiée \((dernière|cette version)\)\n", text);
        }

        Assert.DoesNotContain("Structure", Summary(Read("feed.atom"), V3), StringComparison.Ordinal);
        Assert.Contains(Sentence, Summary(Read("feed.atom"), V2), StringComparison.Ordinal); // an older entry keeps its sentence
        using (var catalog = JsonDocument.Parse(Read("catalog.jsonld")))
        {
            Assert.False(catalog.RootElement.GetProperty("dcat:dataset").EnumerateArray().Single().TryGetProperty("adms:versionNotes", out _));
        }

        // The published tree still verifies.
        Assert.Equal(0, await Site.RunAsync("verify"));
    }
}
