namespace Automotech.OpenData.BrowserTests;

/// <summary>
/// The downloads table's links to a version's files: a version is cited by its date, which was cut
/// at its hyphens when the column was narrow (« 2026-11- » then « 27/acteurs.parquet »).
/// </summary>
public sealed class DownloadTableLayoutTests : IClassFixture<SiteInBrowserTests.Browser>
{
    private readonly SiteInBrowserTests.Browser browser;

    public DownloadTableLayoutTests(SiteInBrowserTests.Browser browser) => this.browser = browser;

    [Theory]
    [InlineData("datasets/acteurs/index.html", 1280)]
    [InlineData("datasets/acteurs/index.html", 320)]
    [InlineData("datasets/sirene-automobile/index.html", 1280)]
    [InlineData("datasets/chiffres-cles/index.html", 1280)]
    public async Task A_version_date_in_a_files_link_is_never_cut(string path, int width)
    {
        var page = await browser.NewPageAsync(width, []);
        await page.GotoAsync(browser.Url(path));

        // Each link whose text starts with the version date: the lines its first 10 characters take.
        var cut = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('table a')]
                .filter(a => /^\d{4}-\d{2}-\d{2}/.test(a.textContent))
                .map(a => {
                    const range = document.createRange();
                    const walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
                    const text = walker.nextNode();
                    range.setStart(text, 0);
                    range.setEnd(text, 10);
                    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                    return tops.size > 1 ? a.textContent : null;
                })
                .filter(t => t !== null)
            """);
        var links = await page.Locator("table a").AllTextContentsAsync();
        Assert.Contains(links, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d{4}-\d{2}-\d{2}/"));
        Assert.True(cut.Length == 0, $"{path} at {width} px: the date is cut in {string.Join(", ", cut)}");
    }
}
