using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Automotech.OpenData.BrowserTests;

/// <summary>
/// What a screen reader gets from the dataset pages' charts and map, read from Chromium's
/// accessibility tree: an SVG with <c>role="img"</c> exposes its name and description only, never
/// the text drawn inside it.
/// </summary>
public sealed class ScreenReaderTests : IClassFixture<SiteInBrowserTests.Browser>
{
    private readonly SiteInBrowserTests.Browser browser;

    public ScreenReaderTests(SiteInBrowserTests.Browser browser) => this.browser = browser;

    [Theory]
    [InlineData("datasets/acteurs/index.html")]
    [InlineData("datasets/sirene-automobile/index.html")]
    public async Task Each_bar_of_a_chart_is_in_its_accessible_description(string path)
    {
        // The bars' labels and values were SVG text under role="img": a blind reader heard the
        // chart's title and none of its numbers (the counts by type were nowhere else on the page).
        var page = await browser.NewPageAsync(1280, []);
        await page.GotoAsync(browser.Url(path));
        var charts = page.Locator("svg.chart");
        Assert.True(await charts.CountAsync() >= 1);
        for (var i = 0; i < await charts.CountAsync(); i++)
        {
            var chart = charts.Nth(i);
            var labels = await chart.Locator("text[text-anchor=end]").AllTextContentsAsync();
            var values = await chart.Locator("text:not([text-anchor])").AllTextContentsAsync();
            Assert.Equal(labels.Count, values.Count);
            Assert.NotEmpty(labels);
            await Assertions.Expect(chart).ToHaveAttributeAsync("role", "img");
            for (var b = 0; b < labels.Count; b++)
            {
                await Assertions.Expect(chart).ToHaveAccessibleDescriptionAsync(new Regex(Regex.Escape($"{labels[b]} : {values[b]}")));
            }
        }
    }

    [Theory]
    [InlineData("datasets/acteurs/index.html", "Nombre d'acteurs")]
    [InlineData("datasets/sirene-automobile/index.html", "Nombre d'établissements")]
    public async Task The_map_says_each_departements_count_and_its_table_names_what_it_counts(string path, string counted)
    {
        // The map's numbers were drawn text too (heard as "6 7 11 10 85…", no département), and its
        // table headed every dataset's counts "Acteurs", establishments of Sirene included.
        var page = await browser.NewPageAsync(1280, []);
        await page.GotoAsync(browser.Url(path));
        var map = page.Locator("svg.map");
        await Assertions.Expect(map).ToHaveAccessibleDescriptionAsync(new Regex(@"Haute-Garonne \(31\) : \d+"));
        var table = page.Locator("details").Filter(new() { Has = page.GetByText("Les chiffres de la carte") }).Locator("table");
        await Assertions.Expect(table.Locator("th").Nth(1)).ToHaveTextAsync(counted);
    }

    [Theory]
    [InlineData("index.html", "a[href^='#chiffre-']")]
    [InlineData("datasets/chiffres-cles/index.html", ".key-figures a")]
    [InlineData("datasets/chiffres-cles/2026-11-25/index.html", ".key-figures a")]
    public async Task Each_key_figures_link_names_its_figure_for_a_screen_reader(string path, string links)
    {
        // Every figure's permanent link read "Lien permanent vers ce chiffre (version …)": a screen
        // reader's list of links gave the same name to a dozen different targets (WCAG 2.4.9).
        var page = await browser.NewPageAsync(1280, []);
        await page.GotoAsync(browser.Url(path));
        var anchors = page.Locator(links);
        var names = new List<string>();
        for (var i = 0; i < await anchors.CountAsync(); i++)
        {
            var label = await anchors.Nth(i).Locator("xpath=ancestor::li[1]//span[@class='label']").TextContentAsync();
            await Assertions.Expect(anchors.Nth(i)).ToHaveAccessibleNameAsync(new Regex(Regex.Escape($" : {label}") + "$"));
            names.Add((await anchors.Nth(i).InnerTextAsync()).Trim());
        }

        Assert.True(names.Count >= 3);
        Assert.All(names, n => Assert.DoesNotContain(" : ", n, StringComparison.Ordinal)); // the label is not shown twice
    }
}
