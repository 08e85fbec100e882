using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Automotech.OpenData.Releases;
using Automotech.OpenData.Site;
using Automotech.OpenData.Tests.EndToEnd;

namespace Automotech.OpenData.Tests.Site;

/// <summary>
/// The dataset page's bars are those <c>metadata.charts</c> declares, counted in the published
/// CSV, named by their labels: a reader saw « plateforme-technologique » and « pme », and a
/// dataset without a field named type_acteur could chart nothing but its départements.
/// </summary>
public sealed partial class DeclaredChartsTests
{
    [Fact]
    public async Task The_demo_pages_chart_the_declared_fields_with_their_labels_and_the_counts_of_the_published_csv()
    {
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("publish"));

        var acteurs = await File.ReadAllTextAsync(site.Path("datasets", "acteurs", "index.html"));
        var type = Chart(acteurs, "Par type d&#x27;acteur");
        var labels = new Dictionary<string, string>
        {
            ["grand-groupe"] = "Grand groupe", ["eti"] = "ETI", ["pme"] = "PME", ["tpe"] = "TPE", ["start-up"] = "Start-up",
            ["formation"] = "Établissement de formation", ["laboratoire"] = "Laboratoire",
            ["plateforme-technologique"] = "Plateforme technologique", ["centre-essais"] = "Centre d'essais",
        };
        var byType = Counts(site.Path("datasets", "acteurs", "latest", "acteurs.csv"), "type_acteur");
        var expected = byType.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{labels[c.Key]} : {c.Value}");
        Assert.Equal(string.Join(" ; ", expected) + ".", System.Net.WebUtility.HtmlDecode(Desc(type)));
        Assert.DoesNotContain(">pme<", type, StringComparison.Ordinal);
        Assert.Contains(">Plateforme technologique<", type, StringComparison.Ordinal);

        // The caption says where to count the bars, and how each labelled bar is written there.
        var caption = acteurs[acteurs.IndexOf("<figcaption>", acteurs.IndexOf("<h3>Par type d&#x27;acteur</h3>", StringComparison.Ordinal), StringComparison.Ordinal)..];
        caption = System.Net.WebUtility.HtmlDecode(caption[..caption.IndexOf("</figcaption>", StringComparison.Ordinal)]);
        Assert.StartsWith("<figcaption>Compté dans la colonne <code>type_acteur</code> du fichier CSV ; les barres y sont écrites ainsi : ", caption, StringComparison.Ordinal);
        Assert.All(byType.Keys, code => Assert.Contains($"{labels[code]} : {code}", caption, StringComparison.Ordinal));
        Assert.Contains("<h3>Par département</h3>\n<figure>", acteurs, StringComparison.Ordinal);
        Assert.Contains("<figcaption>Compté dans la colonne <code>code_departement</code> du fichier CSV, où chaque département est écrit par son code (entre parenthèses).</figcaption>", acteurs, StringComparison.Ordinal);

        // Bands in INSEE's order, every band drawn, even at 0 rows, then nothing else.
        var sirene = await File.ReadAllTextAsync(site.Path("datasets", "sirene-automobile", "index.html"));
        var bands = Desc(Chart(sirene, "Par tranche d&#x27;effectif salarié (Insee)")).TrimEnd('.').Split(" ; ");
        string[] order = ["Non employeur", "0 salarié", "1 ou 2 salariés", "3 à 5 salariés", "6 à 9 salariés", "10 à 19 salariés", "20 à 49 salariés", "50 à 99 salariés",
            "100 à 199 salariés", "200 à 249 salariés", "250 à 499 salariés", "500 à 999 salariés", "1 000 à 1 999 salariés", "2 000 à 4 999 salariés", "5 000 à 9 999 salariés", "10 000 salariés et plus"];
        Assert.Equal(order, bands.Select(b => b[..b.LastIndexOf(" : ", StringComparison.Ordinal)]));
        var byBand = Counts(site.Path("datasets", "sirene-automobile", "latest", "sirene-automobile.csv"), "tranche_effectif");
        string[] codes = ["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53"];
        Assert.Equal(codes.Select(c => byBand.GetValueOrDefault(c)), bands.Select(b => long.Parse(b[(b.LastIndexOf(" : ", StringComparison.Ordinal) + 3)..], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains(bands, b => b.EndsWith(" : 0", StringComparison.Ordinal));
        Assert.Contains("<h3>Par activité (NAF rév. 2)</h3>", sirene, StringComparison.Ordinal);

        // Declared in the version's datapackage.json, which is what a page is rendered again from.
        using var package = JsonDocument.Parse(await File.ReadAllTextAsync(site.Path("datasets", "acteurs", "latest", "datapackage.json")));
        var chart = Assert.Single(package.RootElement.GetProperty("charts").EnumerateArray());
        Assert.Equal("PME", chart.GetProperty("labels").GetProperty("pme").GetString());
    }

    [Fact]
    public void A_package_that_declares_no_chart_charts_type_acteur_as_pages_did_before()
    {
        var page = Build(Package(""), "type_acteur,code_departement\r\npme,31\r\neti,31\r\npme,34\r\n");

        var chart = Assert.Single(page.Charts);
        Assert.Equal("Par type d'acteur", chart.Title);
        Assert.Equal("pme : 2 ; eti : 1.", Desc(chart.Svg.Html));
    }

    [Fact]
    public void A_package_that_declares_none_of_its_fields_has_no_chart()
    {
        var page = Build(Package("\"charts\": [],"), "type_acteur,code_departement\r\npme,31\r\n");

        Assert.Empty(page.Charts);
        Assert.NotNull(page.DepartementChart);
    }

    [Fact]
    public void Empty_cells_have_a_bar_of_their_own_so_that_the_bars_add_up_to_the_rows()
    {
        var page = Build(Package("""
            "charts": [{ "field": "type_acteur", "title": "Par type", "labels": { "pme": "PME" }, "order": "count" }],
            """), "type_acteur,code_departement\r\npme,31\r\n,31\r\n\"\",34\r\neti,34\r\n");

        // Ties by published value (eti before pme), whatever their labels.
        Assert.Equal("eti : 1 ; PME : 1 ; non renseigné : 2.", Desc(Assert.Single(page.Charts).Svg.Html));
    }

    [Fact]
    public void Past_thirty_values_the_rest_is_one_bar_that_says_how_many_values_it_holds()
    {
        var csv = new StringBuilder("commune\r\n");
        for (var v = 0; v < 40; v++)
        {
            for (var r = 0; r <= v; r++)
            {
                csv.Append(CultureInfo(v)).Append("\r\n");
            }
        }

        var page = Build(Package("""
            "charts": [{ "field": "commune", "title": "Par commune", "labels": {}, "order": "count" }],
            """), csv.ToString());

        var bars = Desc(Assert.Single(page.Charts).Svg.Html).TrimEnd('.').Split(" ; ");
        Assert.Equal(30, bars.Length);
        Assert.Equal("v39 : 40", bars[0]);
        Assert.Equal("v11 : 12", bars[28]);
        Assert.Equal($"11 autres valeurs : {Enumerable.Range(1, 11).Sum()}", bars[29]);

        static string CultureInfo(int v) => $"v{v:00}";
    }

    [Fact]
    public void The_caption_says_how_the_labelled_bars_drawn_are_written_and_no_others()
    {
        // v00 has a label, but falls in the "autres valeurs" bar: the caption named it, with no bar to match.
        var csv = new StringBuilder("commune,code_departement\r\n");
        for (var v = 0; v < 40; v++)
        {
            for (var r = 0; r <= v; r++)
            {
                csv.Append(CultureInfo.InvariantCulture, $"v{v:00},31\r\n");
            }
        }

        csv.Append(",31\r\n");
        var page = Build(Package("""
            "charts": [{ "field": "commune", "title": "Par commune", "labels": { "v39": "La plus grande", "v00": "La plus petite", "v38": "v38", "": "sans commune" }, "order": "count" }],
            """), csv.ToString());

        var chart = Assert.Single(page.Charts);
        Assert.Equal(["La plus grande : v39"], chart.Codes);
        Assert.EndsWith("sans commune : 1.", Desc(chart.Svg.Html), StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_too_long_for_its_column_is_written_on_two_lines_inside_the_chart()
    {
        const string label = "Fabrication d'équipements électriques et électroniques automobiles";
        var svg = Charts.Bars("t", [(label, 8), ("Court", 3)]).Html;

        var width = int.Parse(ViewBox().Match(svg).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Charts.MaxLabelWidth + 410, width);
        var lines = Regex.Matches(svg, "<tspan [^>]*>([^<]*)</tspan>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal(label.Replace("'", "&apos;", StringComparison.Ordinal), string.Concat(lines)); // the text reads whole, its space kept
        Assert.All(lines, l => Assert.True(l.Trim().Replace("&apos;", "'", StringComparison.Ordinal).Length * 6.8 <= Charts.MaxLabelWidth - 12, l));

        // Short labels keep the chart as it was: 640 wide, one line each.
        Assert.Contains("viewBox=\"0 0 640 ", Charts.Bars("t", [("Court", 3)]).Html, StringComparison.Ordinal);
    }

    private static string Chart(string page, string heading)
    {
        var at = page.IndexOf($"<h3>{heading}</h3>", StringComparison.Ordinal);
        Assert.True(at >= 0, $"no chart headed {heading}");
        return page[at..page.IndexOf("</svg>", at, StringComparison.Ordinal)];
    }

    /// <summary>What a screen reader hears of a chart: its description, every bar with its count.</summary>
    private static string Desc(string svg) => Regex.Match(svg, "<desc id=\"[^\"]+\">([^<]*)</desc>").Groups[1].Value;

    /// <summary>Rows per value of a column of a published CSV, read by a strict parser.</summary>
    private static Dictionary<string, long> Counts(string csv, string column)
    {
        var rows = PublishDemoTests.ReadCsv(csv);
        var index = Array.IndexOf(rows[0], column);
        Assert.True(index >= 0, $"{csv} has no column {column}");
        return rows.Skip(1).GroupBy(r => r[index], StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
    }

    private static DatasetPage Build(MemoryStream package, string csv)
    {
        var releases = new DatasetReleases { Id = "acteurs", Title = "Acteurs" };
        releases.Versions.Add(new ReleaseVersion { Version = "2026-11-27", Published = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero), Rows = 1 });
        return DatasetPageBuilder.Build(package, releases, releases.Latest!, new MemoryStream(Encoding.UTF8.GetBytes(csv)));
    }

    private static MemoryStream Package(string charts) => new(Encoding.UTF8.GetBytes($$"""
        {
          "title": "Acteurs", "description": "d", {{charts}}
          "licenses": [{ "name": "etalab-2.0", "title": "Licence Ouverte", "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" }],
          "contributors": [{ "title": "Automotech", "role": "publisher" }],
          "resources": [{ "name": "acteurs", "path": "acteurs.csv", "schema": { "fields": [{ "name": "type_acteur", "type": "string" }] } }]
        }
        """));

    [GeneratedRegex("viewBox=\"0 0 ([0-9]+) ")]
    private static partial Regex ViewBox();
}
