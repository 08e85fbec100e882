namespace Automotech.OpenData.BrowserTests;

/// <summary>
/// A key figure is read at a glance and cited: its number and unit stay on one line at every
/// width a reader may have. The home page's revenue, « 1 979 701 000 € », was broken before its
/// euro sign on a desktop screen.
/// </summary>
public sealed class KeyFigureLayoutTests : IClassFixture<SiteInBrowserTests.Browser>
{
    private readonly SiteInBrowserTests.Browser browser;

    public KeyFigureLayoutTests(SiteInBrowserTests.Browser browser) => this.browser = browser;

    [Theory]
    [InlineData("index.html", 1280)]
    [InlineData("index.html", 800)]
    [InlineData("index.html", 320)]
    [InlineData("datasets/chiffres-cles/index.html", 1280)]
    [InlineData("datasets/chiffres-cles/index.html", 320)]
    [InlineData("datasets/acteurs/index.html", 1280)]
    public async Task Each_key_figures_number_and_unit_are_on_one_line(string path, int width)
    {
        var page = await browser.NewPageAsync(width, []);
        await page.GotoAsync(browser.Url(path));
        var values = page.Locator(".key-figures .value");
        Assert.True(await values.CountAsync() >= 4, $"{path}: no key figures");

        // An inline box broken across lines has one client rectangle per line.
        var lines = await values.EvaluateAllAsync<int[]>("spans => spans.map(s => s.getClientRects().length)");
        var texts = await values.AllTextContentsAsync();
        Assert.All(lines.Zip(texts), v => Assert.True(v.First == 1, $"{path} at {width} px: « {v.Second} » is drawn on {v.First} lines"));
    }
}
