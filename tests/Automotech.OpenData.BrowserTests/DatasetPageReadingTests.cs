using System.Globalization;
using System.Text.Json;
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

    [Theory]
    [InlineData(1280)]
    [InlineData(320)]
    public async Task Every_preview_cell_shows_its_whole_value_and_a_long_one_wraps_within_the_screen(int width)
    {
        // The preview cut every value past 24rem with an ellipsis (white-space: nowrap, overflow:
        // hidden): a reader saw "Start-up fondée en 2021, qui travaille sur le véhi…" and no more.
        var page = await browser.NewPageAsync(width, []);
        await page.GotoAsync(browser.Url("datasets/acteurs/index.html"));
        var cells = (await page.Locator("table.preview td").EvaluateAllAsync<JsonElement>(
            "tds => tds.map(td => [td.textContent, td.clientWidth, td.scrollWidth, td.clientHeight, td.scrollHeight, td.closest('.scroll').clientWidth])"))
            .EnumerateArray()
            .Select(c => new CellBox(c[0].GetString()!, c[1].GetInt32(), c[2].GetInt32(), c[3].GetInt32(), c[4].GetInt32(), c[5].GetInt32()))
            .ToList();
        Assert.NotEmpty(cells);
        var longest = cells.MaxBy(c => c.Text.Length)!;
        Assert.True(longest.Text.Length >= 80, $"the preview's longest value has {longest.Text.Length} characters: too short to test");
        Assert.All(cells, c => Assert.True(c.ScrollWidth <= c.ClientWidth && c.ScrollHeight <= c.ClientHeight, $"«{c.Text}» is cut: {c.ScrollWidth}×{c.ScrollHeight} in {c.ClientWidth}×{c.ClientHeight}"));

        // The whole value is on screen as text: its line boxes, in the cell, are no wider than the
        // scrolling box (a reader scrolls the table to reach a column, never to read a line).
        var cell = page.Locator("table.preview td").Filter(new() { HasTextString = longest.Text }).First;
        await Assertions.Expect(cell).ToHaveTextAsync(longest.Text);
        await Assertions.Expect(cell).ToBeVisibleAsync();
        Assert.True(longest.ClientWidth <= longest.Box, $"a cell {longest.ClientWidth}px wide in a {longest.Box}px box");
        var lines = await cell.EvaluateAsync<int>("td => { const r = document.createRange(); r.selectNodeContents(td); return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }");
        Assert.True(lines >= 2, $"«{longest.Text}» on {lines} line(s): it should wrap");
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than the screen");
    }

    private sealed record CellBox(string Text, int ClientWidth, int ScrollWidth, int ClientHeight, int ScrollHeight, int Box);

    private static long Number(string french) => long.Parse(french.Replace("\u202F", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>"1 à 17 (9 départements)", "85 (1 département)", "0 (0 département)", thousands apart with a narrow no-break space.</summary>
    [GeneratedRegex("^(?<low>[0-9\u202F]+)(?: à (?<high>[0-9\u202F]+))? \\((?<departements>[0-9]+) départements?\\)$")]
    private static partial Regex LegendEntry();
}
