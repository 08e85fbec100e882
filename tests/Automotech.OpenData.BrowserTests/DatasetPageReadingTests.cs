using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Automotech.OpenData.BrowserTests;

/// <summary>
/// A dataset page as a journalist and a spreadsheet user read it, in Chromium: what the map's
/// shades mean, the preview's values in full, and how to open the CSV in a spreadsheet.
/// </summary>
public sealed partial class DatasetPageReadingTests : IClassFixture<SiteInBrowserTests.Browser>
{
    private readonly SiteInBrowserTests.Browser browser;

    public DatasetPageReadingTests(SiteInBrowserTests.Browser browser) => this.browser = browser;

    [Theory]
    [InlineData("datasets/acteurs/index.html", "nombre d'acteurs")]
    [InlineData("datasets/sirene-automobile/index.html", "nombre d'établissements")]
    [InlineData("datasets/acteurs/2026-11-25/index.html", "nombre d'acteurs")]
    public async Task The_maps_legend_gives_each_shades_counts_and_each_departement_falls_in_its_shades_range(string path, string counted)
    {
        // The map shaded départements from light to dark blue with nothing to say what a shade meant.
        var page = await browser.NewPageAsync(1280, []);
        await page.GotoAsync(browser.Url(path));
        var legend = page.GetByRole(AriaRole.List, new() { Name = $"Légende : {counted} par département" });
        await Assertions.Expect(legend).ToBeVisibleAsync();

        // Each shade: its swatch's fill, the counts it stands for and how many départements have it.
        var entries = (await legend.Locator("li").EvaluateAllAsync<string[][]>("lis => lis.map(li => [li.querySelector('rect').getAttribute('fill'), li.textContent.trim()])"))
            .Select(e => (Fill: e[0], Match: LegendEntry().Match(e[1])))
            .ToList();
        Assert.True(entries.Count >= 2, string.Join(" | ", entries.Select(e => e.Match.Value)));
        Assert.All(entries, e => Assert.True(e.Match.Success, e.Match.Value));
        Assert.Equal(entries.Count, entries.Select(e => e.Fill).Distinct().Count());

        // Each département's shape (its title says its count) has the fill of the one shade whose range holds its count.
        var shapes = await page.Locator("svg.map path").EvaluateAllAsync<string[][]>("ps => ps.map(p => [p.getAttribute('fill'), p.querySelector('title').textContent])");
        Assert.Equal(13, shapes.Length);
        foreach (var shape in shapes)
        {
            var count = Number(shape[1][(shape[1].LastIndexOf(" : ", StringComparison.Ordinal) + 3)..]);
            var holding = entries.Where(e => Number(e.Match.Groups["low"].Value) <= count && count <= Number(e.Match.Groups["high"].Success ? e.Match.Groups["high"].Value : e.Match.Groups["low"].Value)).ToList();
            Assert.True(holding.Count == 1, $"{shape[1]}: in {holding.Count} of the legend's ranges");
            Assert.Equal(holding[0].Fill, shape[0]);
        }

        foreach (var (fill, match) in entries)
        {
            var departements = Number(match.Groups["departements"].Value);
            Assert.Equal(shapes.Count(s => s[0] == fill), departements);
        }

        // A screen reader gets the same list, in text; the swatches are hidden from it.
        var tree = await legend.AriaSnapshotAsync();
        foreach (var (_, match) in entries)
        {
            Assert.Contains($"listitem: {match.Value}", tree, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("img", tree, StringComparison.Ordinal);
    }

    private static long Number(string french) => long.Parse(french.Replace("\u202F", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>"1 à 17 (9 départements)", "85 (1 département)", "0 (0 département)", thousands apart with a narrow no-break space.</summary>
    [GeneratedRegex("^(?<low>[0-9\u202F]+)(?: à (?<high>[0-9\u202F]+))? \\((?<departements>[0-9]+) départements?\\)$")]
    private static partial Regex LegendEntry();
}
