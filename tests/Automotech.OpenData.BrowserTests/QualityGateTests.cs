using System.Diagnostics;
using System.Text.Json;
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
        var jar = Tool("VNU_JAR");
        var start = new ProcessStartInfo("java") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-jar", jar, "--format", "json", "--skip-non-html", "--verbose", browser.Site })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var report = await process.StandardError.ReadToEndAsync(); // vnu writes its JSON report on stderr
        await process.WaitForExitAsync();
        await stdout;
        using var json = JsonDocument.Parse(report);
        var errors = json.RootElement.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("type").GetString() is "error" or "non-document-error")
            .Select(m => $"{m.GetProperty("url").GetString()}: {m.GetProperty("message").GetString()}")
            .ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        // No error is no proof that a page was read: with --verbose, vnu names on stdout each file it
        // checked, which must be every page of the site.
        var pages = Directory.EnumerateFiles(browser.Site, "*.html", SearchOption.AllDirectories).Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToList();
        Assert.True(pages.Count >= 5);
        var checkedPages = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToList();
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
        var axe = await File.ReadAllTextAsync(Tool("AXE_JS"));
        var page = await browser.NewPageAsync(width, [], bypassCsp: true); // axe is injected as an inline script
        await page.GotoAsync(browser.Url(path));
        await page.AddScriptTagAsync(new() { Content = axe });
        var violations = await page.EvaluateAsync<JsonElement>("async () => (await axe.run(document)).violations.map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ')')");
        var list = violations.EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.True(list.Count == 0, string.Join("\n", list));
    }

    private static string Tool(string variable)
    {
        var path = Environment.GetEnvironmentVariable(variable);
        Assert.True(path is not null && File.Exists(path), $"{variable} is not set to an existing file: run the tests with scripts/test.sh, which installs the site's quality gates.");
        return path!;
    }
}
