using System.Text.RegularExpressions;
using Automotech.OpenData.Tests.EndToEnd;
using Microsoft.Playwright;

namespace Automotech.OpenData.BrowserTests;

/// <summary>
/// The map and bars by département of a dataset that names its fields otherwise (<c>dep</c>,
/// <c>lat</c>, <c>lon</c>, declared in <c>outputs</c>), read in Chromium as the demo's are: the
/// map's description and table give each département's count, its points are drawn inside it,
/// and the bars' caption names the column to count them in.
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
        var under = await map.EvaluateAsync<string[]>("""
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
        Assert.Equal(["Haute-Garonne (31) : 2", "Haute-Garonne (31) : 2", "Tarn (81) : 1"], under.Order(StringComparer.Ordinal));

        var bars = page.Locator("figure").Filter(new() { Has = page.Locator("svg.chart") });
        await Assertions.Expect(bars.Locator("svg.chart")).ToHaveAccessibleDescriptionAsync("Haute-Garonne (31) : 2 ; Tarn (81) : 1.");
        await Assertions.Expect(bars.Locator("figcaption")).ToContainTextAsync("Compté dans la colonne dep du fichier CSV");
    }
}
