using System.Text;
using System.Text.RegularExpressions;
using Automotech.OpenData.Publishing;
using Automotech.OpenData.Releases;
using Automotech.OpenData.Site;
using Automotech.OpenData.Tests;
using Automotech.OpenData.Tests.EndToEnd;
using Microsoft.Playwright;

namespace Automotech.OpenData.BrowserTests;

/// <summary>
/// The map and bars by département of a dataset that names its fields otherwise (<c>dep</c>,
/// <c>lat</c>, <c>lon</c>, declared in <c>outputs</c>), read in Chromium as the demo's are: the
/// map's description and table give each département's count, its points are drawn inside it,
/// and the bars' caption names the column to count them in. A dataset with positions and no
/// département field has its points drawn on the départements' outlines, without bars by
/// département, and its page passes the site's gates (axe, the Nu checker). A point outside the
/// map's frame is drawn on neither map, and the map says so.
/// </summary>
public sealed class DeclaredMapFieldsPageTests : IClassFixture<SiteInBrowserTests.Browser>
{
    private readonly SiteInBrowserTests.Browser browser;

    public DeclaredMapFieldsPageTests(SiteInBrowserTests.Browser browser) => this.browser = browser;

    [Fact]
    public async Task The_map_of_declared_fields_is_drawn_with_its_points_and_counts()
    {
        using var site = new DemoSite();
        SitesDataset.Write(site, "dep", "lat", "lon", "  formats: [csv, parquet]\n  latitude: lat\n  longitude: lon\n  departement: dep\n");
        Assert.Equal(0, await site.RunAsync("publish", $"--Pipeline:Directory={site.Temp("pipelines")}"));

        using var server = new StaticSiteServer(site.Site);
        var page = await browser.NewPageAsync(1280, []);
        await page.GotoAsync(new Uri(server.BaseUrl, "datasets/sites/index.html").AbsoluteUri);

        var map = page.Locator("svg.map");
        await Assertions.Expect(map).ToHaveAccessibleDescriptionAsync(new Regex(@"Haute-Garonne \(31\) : 2 ; .*Tarn \(81\) : 1"));
        var table = page.Locator("details").Filter(new() { Has = page.GetByText("Les chiffres de la carte") }).Locator("table");
        await Assertions.Expect(table.Locator("th").Nth(1)).ToHaveTextAsync("Nombre de sites");

        // Each of the three points is drawn inside the map, on the shape of a département it counts in.
        await Assertions.Expect(map.Locator("circle")).ToHaveCountAsync(3);
        var under = await ShapesUnderPointsAsync(map);
        Assert.Equal(["Haute-Garonne (31) : 2", "Haute-Garonne (31) : 2", "Tarn (81) : 1"], under.Order(StringComparer.Ordinal));

        var bars = page.Locator("figure").Filter(new() { Has = page.Locator("svg.chart") });
        await Assertions.Expect(bars.Locator("svg.chart")).ToHaveAccessibleDescriptionAsync("Haute-Garonne (31) : 2 ; Tarn (81) : 1.");
        await Assertions.Expect(bars.Locator("figcaption")).ToContainTextAsync("Compté dans la colonne dep du fichier CSV");
    }

    [Fact]
    public async Task Positions_without_a_departement_field_are_drawn_on_the_outlines_and_the_page_passes_the_gates()
    {
        using var site = new DemoSite();
        SitesDataset.Write(site, null, "lat", "lon", "  formats: [csv, parquet]\n  latitude: lat\n  longitude: lon\n");
        Assert.Equal(0, await site.RunAsync("publish", $"--Pipeline:Directory={site.Temp("pipelines")}"));

        using var server = new StaticSiteServer(site.Site);
        foreach (var width in new[] { 1280, 320 })
        {
            var problems = new List<string>();
            var page = await browser.NewPageAsync(width, problems, bypassCsp: true); // axe is injected inline
            await page.GotoAsync(new Uri(server.BaseUrl, "datasets/sites/index.html").AbsoluteUri);

            var map = page.Locator("svg.map");
            await Assertions.Expect(map).ToBeVisibleAsync();
            await Assertions.Expect(map).ToHaveAccessibleNameAsync("Carte des départements d'Occitanie : positions publiées (Sites d'essais de la filière)");
            await Assertions.Expect(map).ToHaveAccessibleDescriptionAsync(new Regex(@"^Contours des départements d'Occitanie, sans teinte ni décompte par département : Ariège \(09\), .*Tarn-et-Garonne \(82\) ; 3 positions publiées, dessinées en points\.$"));

            // Each of the three points is drawn inside the map, on the outline of the département it lies in.
            await Assertions.Expect(map.Locator("circle")).ToHaveCountAsync(3);
            var under = await ShapesUnderPointsAsync(map);
            Assert.Equal(["Haute-Garonne (31)", "Haute-Garonne (31)", "Tarn (81)"], under.Order(StringComparer.Ordinal));

            // No bars by département, no legend of shades, no table of counts by département.
            await Assertions.Expect(page.Locator("svg.chart")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Par département" })).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator(".map-legend")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByText("Les chiffres de la carte")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("figure").Filter(new() { Has = map }).Locator("figcaption"))
                .ToHaveTextAsync("Contours des départements d'Occitanie, sans teinte : aucune ligne n'y est comptée, le fichier CSV n'ayant pas de colonne code_departement renseignée ; points : positions publiées (toutes les lignes : position ramenée au centre de la commune). Contours : IGN Admin Express, simplifiés.");

            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"the page is {overflow}px wider than the screen at {width}px");
            var violations = await Gates.AxeViolationsAsync(page);
            Assert.True(violations.Count == 0, $"at {width}px: {string.Join("; ", violations)}");
            Assert.Empty(problems);
        }

        // The Nu HTML checker on the page.
        var (errors, _) = await Gates.NuErrorsAsync(site.Path("datasets", "sites", "index.html"));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task A_point_outside_the_frame_of_the_shaded_map_is_not_drawn_and_the_map_says_so()
    {
        // Two rows of Haute-Garonne, one of them placed in Paris (a data error), and one of Tarn:
        // the point in Paris was drawn outside the map's box, where no one saw it.
        const string dataPackage = """
            {
              "title": "Sites", "description": "d", "charts": [], "rowLabel": "sites",
              "geoFields": { "latitude": "lat", "longitude": "lon", "departement": "dep" },
              "licenses": [{ "name": "etalab-2.0", "title": "Licence Ouverte", "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" }],
              "contributors": [{ "title": "Automotech", "role": "publisher" }],
              "resources": [{ "name": "sites", "path": "sites.csv", "schema": { "fields": [{ "name": "dep", "type": "string" }] } }]
            }
            """;
        var releases = new DatasetReleases { Id = "sites", Title = "Sites" };
        releases.Versions.Add(new ReleaseVersion { Version = "2026-11-27", Published = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero), Rows = 4 });
        var dataset = DatasetPageBuilder.Build(
            new MemoryStream(Encoding.UTF8.GetBytes(dataPackage)), releases, releases.Latest!,
            new MemoryStream(Encoding.UTF8.GetBytes("dep,lat,lon\r\n31,43.6,1.44\r\n31,48.85,2.35\r\n31,43.65,1.38\r\n81,43.93,2.15\r\n")));
        var manifest = new ReleaseManifest();
        manifest.Datasets.Add(releases);
        using var temp = new TempFolder();
        var tree = new StagedTree(temp.Combine("tree"));
        await new SiteRenderer(null).RenderAsync(new SiteModel([dataset]), [dataset], manifest, new Uri("https://opendata.automotech.example/"), tree, CancellationToken.None);

        using var server = new StaticSiteServer(tree.Root);
        var page = await browser.NewPageAsync(1280, []);
        await page.GotoAsync(new Uri(server.BaseUrl, "datasets/sites/2026-11-27/index.html").AbsoluteUri);

        var map = page.Locator("svg.map");
        await Assertions.Expect(map).ToHaveAccessibleDescriptionAsync(new Regex(@"Haute-Garonne \(31\) : 3 ; .*Tarn \(81\) : 1 ; .* ; 1 point hors du cadre de la carte, non dessiné\.$"));
        await Assertions.Expect(page.Locator("figure").Filter(new() { Has = map }).Locator("figcaption")).ToContainTextAsync("; points : positions publiées ; 1 point hors du cadre de la carte, non dessiné.");

        // The three points inside the frame are drawn, each on its département; none outside the map.
        await Assertions.Expect(map.Locator("circle")).ToHaveCountAsync(3);
        var under = await ShapesUnderPointsAsync(map);
        Assert.Equal(["Haute-Garonne (31) : 3", "Haute-Garonne (31) : 3", "Tarn (81) : 1"], under.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// For each point of the map, the title of the département shape under its centre (its
    /// tooltip), prefixed when the point is not inside the map's box.
    /// </summary>
    private static Task<string[]> ShapesUnderPointsAsync(ILocator map) => map.EvaluateAsync<string[]>("""
        svg => {
          svg.scrollIntoView({ block: 'center' });
          const s = svg.getBoundingClientRect();
          return [...svg.querySelectorAll('circle')].map(c => {
            const r = c.getBoundingClientRect();
            const inside = r.left >= s.left && r.top >= s.top && r.right <= s.right && r.bottom <= s.bottom;
            const shape = document.elementsFromPoint(r.left + r.width / 2, r.top + r.height / 2).find(e => e.tagName === 'path');
            return (inside ? '' : 'outside the map: ') + (shape?.querySelector('title')?.textContent ?? 'on no département');
          });
        }
        """);
}
