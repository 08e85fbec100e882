using System.Text;
using Automotech.OpenData.Publishing;
using Automotech.OpenData.Releases;
using Automotech.OpenData.Site;

namespace Automotech.OpenData.Tests.Site;

/// <summary>
/// A journalist copies a figure from whichever part of a page shows it: the key figure, the facts,
/// the chart, the map, the versions list or the feed. One number is written one way everywhere,
/// in French ("12 345", with the narrow no-break space French typography puts between thousands,
/// as the key figures always did), and dates are written in words.
/// </summary>
public sealed class FrenchFiguresTests
{
    private const char Nnbsp = '\u202F';

    [Fact]
    public async Task A_count_above_a_thousand_is_written_the_same_French_way_on_the_page_its_chart_map_and_feed()
    {
        var html = await RenderAsync(rows: 12_345);
        var page = html.Page;
        var n = $"12{Nnbsp}345";

        Assert.Contains($"<span class=\"value\">{n}</span>", page, StringComparison.Ordinal); // the key figure, as before
        Assert.Contains($"<dt>Lignes</dt><dd>{n}</dd>", page, StringComparison.Ordinal);
        Assert.Contains($"({n} lignes)", page, StringComparison.Ordinal);
        Assert.Contains($">{n}</text>", page, StringComparison.Ordinal); // the bars' labels
        Assert.Contains($"Haute-Garonne (31) : {n}</title>", page, StringComparison.Ordinal); // the map's shapes
        Assert.Contains($"<td>Haute-Garonne (31)</td><td>{n}</td>", page, StringComparison.Ordinal); // the map's table
        Assert.Contains($"{n} lignes ; depuis 2026-11-20 : 1{Nnbsp}200 ajoutées, 1{Nnbsp}100 retirées, 1{Nnbsp}050 modifiées", page, StringComparison.Ordinal);
        Assert.Contains($"{n} lignes lues dans la source, {n} publiées", page, StringComparison.Ordinal);
        Assert.Contains($"<dd>{n}</dd>", html.Index, StringComparison.Ordinal);
        Assert.Contains($"<summary>{n} lignes publiées le ", html.Feed, StringComparison.Ordinal);
        Assert.Contains($"Depuis 2026-11-20 : 1{Nnbsp}200 lignes ajoutées, 1{Nnbsp}100 retirées, 1{Nnbsp}050 modifiées.", html.Feed, StringComparison.Ordinal);
        foreach (var text in new[] { page, html.Index, html.Feed })
        {
            Assert.DoesNotContain("12345", text, StringComparison.Ordinal);
            Assert.DoesNotContain("1200", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_coverage_start_is_a_French_date_on_the_page_and_stays_ISO_for_machines()
    {
        var html = await RenderAsync(rows: 3);
        Assert.Contains("Occitanie, depuis le 1er janvier 2007</dd>", html.Page, StringComparison.Ordinal);
        Assert.DoesNotContain("depuis le 2007-01-01", html.Page, StringComparison.Ordinal);
        Assert.Contains("2007-01-01/..", html.Page, StringComparison.Ordinal); // schema.org's temporalCoverage
    }

    [Theory]
    [InlineData(999_960_000L, "≈\u00A01\u00A0Md€")]
    [InlineData(999_940_000L, "≈\u00A0999,9\u00A0M€")]
    [InlineData(1_980_119_000L, "≈\u00A01,98\u00A0Md€")]
    [InlineData(35_946_000L, "≈\u00A035,9\u00A0M€")]
    public void A_rounded_amount_is_never_written_1000_millions(long value, string expected) =>
        Assert.Equal(expected, KeyFigureFormat.Rounded(value, "eur"));

    [Fact]
    public async Task One_row_or_none_is_written_in_the_singular_in_the_changelog_versions_list_and_feed()
    {
        var html = await RenderAsync(rows: 3, changes: (1, 0, 2, 1));
        Assert.Contains("3 lignes ; depuis 2026-11-20 : 1 ajoutée, 0 retirée, 2 modifiées", html.Page, StringComparison.Ordinal);
        Assert.Contains("par clé primaire : 1 ligne ajoutée, 0 retirée, 2 modifiées, 1 inchangée.", html.Page, StringComparison.Ordinal);
        Assert.Contains("Depuis 2026-11-20 : 1 ligne ajoutée, 0 retirée, 2 modifiées.", html.Feed, StringComparison.Ordinal);
        foreach (var text in new[] { html.Page, html.Feed })
        {
            Assert.DoesNotContain("1 lignes", text, StringComparison.Ordinal);
            Assert.DoesNotContain("1 ajoutées", text, StringComparison.Ordinal);
            Assert.DoesNotContain("0 retirées", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0.85, "85")]
    [InlineData(0.57, "57")]   // 0.57 × 100 is 56.99999999999999 in binary floating point
    [InlineData(0.855, "85,5")]
    public async Task The_dominance_threshold_of_the_secret_is_a_French_percentage(double share, string expected)
    {
        var html = await RenderAsync(rows: 3, dominance: share);
        Assert.Contains($"une entreprise y fait plus de {expected} % du total", html.Page, StringComparison.Ordinal);
    }

    private static async Task<(string Page, string Index, string Feed)> RenderAsync(int rows, (long Added, long Removed, long Modified, long Unchanged)? changes = null, double? dominance = null)
    {
        var (added, removed, modified, unchanged) = changes ?? (1200, 1100, 1050, 0);
        const string dataPackage = """
            {
              "title": "Acteurs", "description": "d", "version": "2026-11-27",
              "licenses": [{ "name": "etalab-2.0", "title": "Licence Ouverte", "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" }],
              "contributors": [{ "title": "Automotech", "role": "publisher" }, { "title": "Équipe", "role": "contact" }],
              "spatial": "Occitanie", "temporalStart": "2007-01-01", "updateFrequency": "hebdomadaire",
              "keyFigures": [{ "id": "acteurs", "label": "Acteurs", "definition": "Toutes les lignes.", "where": {} }],
              "resources": [{ "name": "acteurs", "path": "acteurs.csv", "schema": { "fields": [
                { "name": "type_acteur", "type": "string" }, { "name": "code_departement", "type": "string" } ] } }]
            }
            """;
        var csv = new StringBuilder("type_acteur,code_departement\r\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append("pme,31\r\n");
        }

        var releases = new DatasetReleases { Id = "acteurs", Title = "Acteurs" };
        var published = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
        releases.Versions.Add(new ReleaseVersion { Version = "2026-11-20", Published = published.AddDays(-7), Rows = rows });
        releases.Versions.Add(new ReleaseVersion
        {
            Version = "2026-11-27",
            Published = published,
            Rows = rows,
            Changes = new ChangeSummary("2026-11-20", added, removed, modified),
            Validation = new ValidationSummary { RowsRead = rows, RowsPublished = rows },
            Privacy = dominance is { } d ? new PrivacySummary { Secret = new Automotech.OpenData.Aggregation.SecretReport { MinContributors = 3, DominanceShare = d, Cells = 10 } } : new PrivacySummary(),
            Files = [new ReleaseFile { Name = "acteurs.csv", Path = "datasets/acteurs/2026-11-27/acteurs.csv", MediaType = "text/csv", Bytes = csv.Length, Sha256 = new string('a', 64) }],
        });
        var manifest = new ReleaseManifest();
        manifest.Datasets.Add(releases);
        var page = DatasetPageBuilder.Build(
            new MemoryStream(Encoding.UTF8.GetBytes(dataPackage)), releases, releases.Latest!, new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())),
            new Changelog { Version = "2026-11-27", Previous = "2026-11-20", Added = added, Removed = removed, Modified = modified, Unchanged = unchanged });

        using var temp = new TempFolder();
        var tree = new StagedTree(temp.Combine("tree"));
        await new SiteRenderer(null).RenderAsync(new SiteModel([page]), [page], manifest, new Uri("https://opendata.automotech.example/"), tree, CancellationToken.None);
        // Read as a browser shows them: the encoder writes U+202F as &#x202F; in the HTML source.
        return (
            System.Net.WebUtility.HtmlDecode(File.ReadAllText(tree.LocalPath("datasets/acteurs/2026-11-27/index.html"))),
            System.Net.WebUtility.HtmlDecode(File.ReadAllText(tree.LocalPath("index.html"))),
            File.ReadAllText(tree.LocalPath("feed.atom")));
    }
}
