using System.Text.Json;
using System.Text.RegularExpressions;

namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>
/// The dataset page's map and bars by département read the fields the definition names
/// (<c>outputs.latitude</c>, <c>outputs.longitude</c>, <c>outputs.departement</c>), as the GeoJSON
/// does: a dataset publishing its positions as <c>lat</c>/<c>lon</c> got a correct GeoJSON and a
/// map without a point, and one whose département column had another name got neither map nor bars,
/// and nothing said why.
/// </summary>
public sealed partial class DeclaredMapFieldsTests
{
    [Fact]
    public async Task Positions_published_under_other_names_are_drawn_on_the_map_as_in_the_geojson()
    {
        using var site = new DemoSite();
        SitesDataset.Write(site, "code_departement", "lat", "lon", "  formats: [csv, parquet, geojson]\n  latitude: lat\n  longitude: lon\n");
        Assert.True(await PublishAsync(site) == 0, site.Error);

        using var geojson = JsonDocument.Parse(File.ReadAllText(site.Path("datasets", "sites", "latest", "sites.geojson")));
        var points = geojson.RootElement.GetProperty("features").EnumerateArray().Count(f => f.GetProperty("geometry").ValueKind == JsonValueKind.Object);
        Assert.Equal(3, points);

        var page = File.ReadAllText(site.Path("datasets", "sites", "index.html"));
        Assert.Equal(points, Circles(Map(page)));

        // The map's caption says how precise the points are, from the rule on the declared latitude.
        Assert.Contains("points : positions publiées (toutes les lignes : position ramenée au centre de la commune)", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_departement_field_of_another_name_has_its_bars_and_its_map_and_the_caption_names_it()
    {
        using var site = new DemoSite();
        SitesDataset.Write(site, "dep", "lat", "lon", "  formats: [csv, parquet]\n  latitude: lat\n  longitude: lon\n  departement: dep\n");
        Assert.True(await PublishAsync(site) == 0, site.Error);

        var page = File.ReadAllText(site.Path("datasets", "sites", "index.html"));
        Assert.Contains("<h3>Par département</h3>", page, StringComparison.Ordinal);
        Assert.Equal("Haute-Garonne (31) : 2 ; Tarn (81) : 1.", Desc(page[page.IndexOf("<h3>Par département</h3>", StringComparison.Ordinal)..]));
        Assert.Contains("<figcaption>Compté dans la colonne <code>dep</code> du fichier CSV, où chaque département est écrit par son code (entre parenthèses).</figcaption>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("code_departement", page, StringComparison.Ordinal);
        Assert.Equal(3, Circles(Map(page)));
        Assert.Contains("Haute-Garonne (31) : 2 ; ", Desc(Map(page)), StringComparison.Ordinal);

        // What the pages of this version will be rendered again from.
        using var package = JsonDocument.Parse(File.ReadAllText(site.Path("datasets", "sites", "latest", "datapackage.json")));
        var fields = package.RootElement.GetProperty("geoFields");
        Assert.Equal(("lat", "lon", "dep"), (fields.GetProperty("latitude").GetString(), fields.GetProperty("longitude").GetString(), fields.GetProperty("departement").GetString()));
    }

    [Fact]
    public async Task An_older_versions_page_rendered_again_keeps_the_fields_of_its_time()
    {
        // Version 1 names its fields as every dataset did before they could be declared, and declares
        // nothing; version 2 renames them and declares the new names. Each page is rendered from its
        // own version's datapackage.json, on every run.
        using var site = new DemoSite();
        SitesDataset.Write(site, "code_departement", "latitude", "longitude", "  formats: [csv, parquet]\n");
        Assert.True(await PublishAsync(site) == 0, site.Error);
        var first = File.ReadAllText(site.Path("datasets", "sites", "2026-11-25", "index.html"));

        SitesDataset.Write(site, "dep", "lat", "lon", "  formats: [csv, parquet]\n  latitude: lat\n  longitude: lon\n  departement: dep\n");
        Assert.True(await PublishAsync(site) == 0, site.Error);

        var older = File.ReadAllText(site.Path("datasets", "sites", "2026-11-25", "index.html"));
        Assert.Equal(3, Circles(Map(older)));
        Assert.Contains("<code>code_departement</code> du fichier CSV", older, StringComparison.Ordinal);
        Assert.Equal(Map(first), Map(older));
        using (var package = JsonDocument.Parse(File.ReadAllText(site.Path("datasets", "sites", "2026-11-25", "datapackage.json"))))
        {
            Assert.False(package.RootElement.TryGetProperty("geoFields", out _));
        }

        var newer = File.ReadAllText(site.Path("datasets", "sites", "2026-11-25.2", "index.html"));
        Assert.Equal(3, Circles(Map(newer)));
        Assert.Contains("<code>dep</code> du fichier CSV", newer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Positions_without_a_departement_field_are_drawn_on_the_departements_outlines()
    {
        // Test sites with their positions only, no GeoJSON: they were refused at load, since the
        // map, drawn only with counts by département, would have drawn them nowhere.
        using var site = new DemoSite();
        SitesDataset.Write(site, null, "lat", "lon", "  formats: [csv, parquet]\n  latitude: lat\n  longitude: lon\n");
        Assert.True(await PublishAsync(site) == 0, site.Error);

        var page = File.ReadAllText(site.Path("datasets", "sites", "index.html"));
        Assert.Equal(3, Circles(Map(page)));
        Assert.StartsWith("Contours des départements d'Occitanie, sans teinte ni décompte par département : ", Desc(Map(page)), StringComparison.Ordinal);
        Assert.EndsWith(" ; 3 positions publiées, dessinées en points.", Desc(Map(page)), StringComparison.Ordinal);
        Assert.Contains("<figcaption>Contours des départements d'Occitanie, sans teinte : aucune ligne n'y est comptée, le fichier CSV n'ayant pas de colonne <code>code_departement</code> renseignée ; points : positions publiées (toutes les lignes : position ramenée au centre de la commune). Contours : IGN Admin Express, simplifiés.</figcaption>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<h3>Par département</h3>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Les chiffres de la carte", page, StringComparison.Ordinal);
        Assert.DoesNotContain("teintés selon", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_departement_column_the_definition_does_not_name_leaves_the_map_unshaded_and_its_caption_names_the_column_it_looked_for()
    {
        // The département column renamed dep and not declared: the positions are drawn, the
        // départements not shaded, and the caption names the column the counts are read from, so
        // that the author sees which key to declare (outputs.departement).
        using var site = new DemoSite();
        SitesDataset.Write(site, "dep", "lat", "lon", "  formats: [csv, parquet]\n  latitude: lat\n  longitude: lon\n");
        Assert.True(await PublishAsync(site) == 0, site.Error);

        var page = File.ReadAllText(site.Path("datasets", "sites", "index.html"));
        Assert.Equal(3, Circles(Map(page)));
        Assert.Contains("le fichier CSV n'ayant pas de colonne <code>code_departement</code> renseignée", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<h3>Par département</h3>", page, StringComparison.Ordinal);
    }

    private static Task<int> PublishAsync(DemoSite site) =>
        site.RunAsync("publish", $"--Pipeline:Directory={site.Temp("pipelines")}");

    /// <summary>The page's map, from its svg to its end; fails when the page has none.</summary>
    private static string Map(string page)
    {
        var at = page.IndexOf("<svg class=\"map\"", StringComparison.Ordinal);
        Assert.True(at >= 0, "the page has no map");
        return page[at..page.IndexOf("</svg>", at, StringComparison.Ordinal)];
    }

    private static int Circles(string svg) => Regex.Count(svg, "<circle ");

    /// <summary>The first SVG description in <paramref name="html"/>: what a screen reader hears of a chart or map.</summary>
    private static string Desc(string html) => System.Net.WebUtility.HtmlDecode(DescPattern().Match(html).Groups[1].Value);

    [GeneratedRegex("<desc id=\"[^\"]+\">([^<]*)</desc>")]
    private static partial Regex DescPattern();
}
