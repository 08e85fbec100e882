using Microsoft.Playwright;

namespace Automotech.OpenData.BrowserTests;

/// <summary>
/// The site's quality gates on every page of the demo site: the Nu HTML checker reports no
/// error, axe-core no accessibility violation. scripts/test.sh installs both (VNU_JAR, AXE_JS).
/// </summary>
public sealed class QualityGateTests : IClassFixture<SiteInBrowserTests.Browser>
{
    private readonly SiteInBrowserTests.Browser browser;

    public QualityGateTests(SiteInBrowserTests.Browser browser) => this.browser = browser;

    [Fact]
    public async Task The_Nu_HTML_checker_finds_no_error_on_any_page()
    {
        var (errors, stdout) = await Gates.NuErrorsAsync("--skip-non-html", "--verbose", browser.Site);
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        // No error is no proof that a page was read: with --verbose, vnu names on stdout each file it
        // checked, which must be every page of the site.
        var pages = Directory.EnumerateFiles(browser.Site, "*.html", SearchOption.AllDirectories).Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToList();
        Assert.True(pages.Count >= 5);
        var checkedPages = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(pages, checkedPages);
    }

    [Theory]
    [MemberData(nameof(SiteInBrowserTests.Pages), MemberType = typeof(SiteInBrowserTests))]
    public Task Axe_finds_no_accessibility_violation(string path) => Axe(path, 1280);

    /// <summary>
    /// At 320 CSS pixels (WCAG 1.4.10) the wide tables scroll in their own box: axe's
    /// scrollable-region-focusable then checks that a keyboard can reach and scroll each of them,
    /// which at 1280 pixels, where nothing overflows, it cannot see.
    /// </summary>
    [Theory]
    [MemberData(nameof(SiteInBrowserTests.Pages), MemberType = typeof(SiteInBrowserTests))]
    public Task Axe_finds_no_accessibility_violation_at_320_css_pixels(string path) => Axe(path, 320);

    private async Task Axe(string path, int width)
    {
        var page = await browser.NewPageAsync(width, [], bypassCsp: true); // axe is injected as an inline script
        await page.GotoAsync(browser.Url(path));
        var violations = await Gates.AxeViolationsAsync(page);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
