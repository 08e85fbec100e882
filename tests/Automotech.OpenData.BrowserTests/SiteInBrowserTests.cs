using Automotech.OpenData.Tests;
using Automotech.OpenData.Tests.EndToEnd;
using Microsoft.Playwright;

namespace Automotech.OpenData.BrowserTests;

/// <summary>
/// Every page of the published demo site, opened in headless Chromium as a reader would:
/// it loads without script errors or failed requests, says the data is fictional, keeps its
/// links inside the published tree, and reflows at 320 CSS pixels (WCAG 1.4.10: a 1280-pixel
/// window at 400 % zoom, or a small phone) without scrolling sideways.
/// </summary>
public sealed class SiteInBrowserTests : IClassFixture<SiteInBrowserTests.Browser>
{
    private readonly Browser browser;

    public SiteInBrowserTests(Browser browser) => this.browser = browser;

    public static TheoryData<string> Pages()
    {
        // The list is taken from a publish of its own, so a new page is tested without editing this file.
        using var site = new DemoSite();
        Assert.Equal(0, site.RunAsync("publish").GetAwaiter().GetResult());
        var pages = new TheoryData<string>();
        foreach (var page in Directory.EnumerateFiles(site.Site, "*.html", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            pages.Add(Path.GetRelativePath(site.Site, page).Replace('\\', '/'));
        }

        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_loads_cleanly_and_says_the_data_is_fictional(string path)
    {
        var problems = new List<string>();
        var page = await browser.NewPageAsync(1280, problems);
        var response = await page.GotoAsync(browser.Url(path));
        Assert.Equal(200, response!.Status);
        await Assertions.Expect(page.GetByText("Données fictives de démonstration.").First).ToBeVisibleAsync();
        Assert.Equal("fr", await page.GetAttributeAsync("html", "lang"));
        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_catalogue_filters_client_side_and_lists_everything_without_javascript()
    {
        var problems = new List<string>();
        var page = await browser.NewPageAsync(1280, problems);
        await page.GotoAsync(browser.Url("index.html"));
        var cards = page.Locator("#jeux .card");
        await Assertions.Expect(page.GetByRole(AriaRole.Search)).ToBeVisibleAsync();
        await page.GetByLabel("Rechercher").FillAsync("filiere AUTOMOBILE");   // accents and case do not matter
        await Assertions.Expect(cards.First).ToBeVisibleAsync();
        await page.GetByLabel("Rechercher").FillAsync("aucun-jeu-ne-parle-de-ca");
        await Assertions.Expect(cards.First).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("0 jeu(x) sur");
        await page.GetByLabel("Rechercher").FillAsync("");
        await page.GetByLabel("Format").SelectOptionAsync("PARQUET");
        await Assertions.Expect(cards.First).ToBeVisibleAsync();
        Assert.Empty(problems);

        var noScript = await browser.NewPageAsync(1280, [], javaScript: false);
        await noScript.GotoAsync(browser.Url("index.html"));
        await Assertions.Expect(noScript.Locator("#jeux .card").First).ToBeVisibleAsync();
        await Assertions.Expect(noScript.Locator("#filtres")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task An_unknown_address_gets_the_404_page_with_working_styles_and_links()
    {
        var problems = new List<string>();
        var page = await browser.NewPageAsync(1280, problems);
        var response = await page.GotoAsync(browser.Url("datasets/acteurs/1999-01-01/nothing.csv"));
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page introuvable" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "catalogue" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Catalogue des données ouvertes" })).ToBeVisibleAsync();

        // The only complaint is Chromium's note that the document itself answered 404.
        Assert.Contains("status of 404", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Every_internal_link_resolves_to_a_published_file(string path)
    {
        var page = await browser.NewPageAsync(1280, []);
        await page.GotoAsync(browser.Url(path));
        // Resolved by the browser itself (a.href, link.href), against the page's own URL.
        var urls = await page.EvalOnSelectorAllAsync<string[]>("a[href], link[href]", "els => els.map(e => e.href)");
        Assert.NotEmpty(urls);
        var broken = urls
            .Select(u => new Uri(u))
            .Where(u => u.Scheme == "http" && u.Authority == browser.Server.BaseUrl.Authority)
            .Select(u => Uri.UnescapeDataString(u.AbsolutePath).TrimStart('/'))
            .Where(p => !File.Exists(Path.Combine(browser.Site, p)))
            .ToList();
        Assert.Empty(broken);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_does_not_scroll_sideways_at_320_css_pixels(string path)
    {
        // WCAG 1.4.10 (Reflow) names 320 CSS pixels: at 360 the validation table of acteurs and
        // a DuckDB call in sirene-automobile's partitions fitted; at 320 they pushed the page sideways.
        var page = await browser.NewPageAsync(320, []);
        await page.GotoAsync(browser.Url(path));
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Directory.CreateDirectory(browser.Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(browser.Screenshots, path.Replace('/', '_') + "-320.png"), FullPage = true });
        Assert.True(overflow <= 0, $"{path} is {overflow}px wider than the screen");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_does_not_scroll_sideways_at_320_css_pixels_with_a_readers_text_spacing(string path)
    {
        // WCAG 1.4.12: a reader's style sheet may widen letters, words and lines; at 320 pixels the
        // map's table (outside any scrolling box) then pushed sirene-automobile's page sideways.
        var page = await browser.NewPageAsync(320, [], bypassCsp: true); // the reader's style is inline
        await page.GotoAsync(browser.Url(path));
        await page.AddStyleTagAsync(new() { Content = "* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; } p { margin-bottom: 2em !important; }" });
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{path} is {overflow}px wider than the screen");
    }

    [Fact]
    public async Task A_printed_dataset_page_writes_out_each_figures_permanent_address_without_the_navigation()
    {
        // A journalist prints the page (or saves it as PDF) to file with a story: the key figures'
        // permanent links printed as "Lien permanent vers ce chiffre", with no address, and the
        // navigation and the skip link came on paper.
        var page = await browser.NewPageAsync(1024, []);
        await page.GotoAsync(browser.Url("datasets/acteurs/index.html"));
        Assert.Equal(0, await page.Locator(".print-only:visible").CountAsync());
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        var printed = await page.Locator(".key-figures .print-only:visible").AllInnerTextsAsync();
        Assert.NotEmpty(printed);
        Assert.All(printed, text => Assert.Matches(@"^https://opendata\.automotech\.example/datasets/acteurs/2026-11-25/#chiffre-[a-z0-9-]+$", text));
        Assert.Equal(0, await page.Locator(".site-header nav:visible, .skip:visible").CountAsync());
        Directory.CreateDirectory(browser.Screenshots);
        await page.PdfAsync(new() { Path = Path.Combine(browser.Screenshots, "acteurs-print.pdf") });
    }

    /// <summary>One published demo site and one Chromium for the whole class.</summary>
    public sealed class Browser : IAsyncLifetime, IDisposable
    {
        private readonly DemoSite site = new();
        private IPlaywright? playwright;
        private IBrowser? chromium;

        public string Site => site.Site;

        /// <summary>Kept after the run (under the test output) for a human to look at.</summary>
        public string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

        public StaticSiteServer Server { get; private set; } = null!;

        public string Url(string path) => new Uri(Server.BaseUrl, path).AbsoluteUri;

        public async Task InitializeAsync()
        {
            Assert.Equal(0, await site.RunAsync("publish"));
            Server = new StaticSiteServer(site.Site);
            const string executable = "/usr/bin/chromium";
            Assert.True(File.Exists(executable), "Debian's chromium package is required (scripts/test.sh installs it).");
            playwright = await Playwright.CreateAsync();
            chromium = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = executable,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
            });
        }

        public async Task<IPage> NewPageAsync(int width, List<string> problems, bool bypassCsp = false, bool javaScript = true)
        {
            var context = await chromium!.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 800 }, BypassCSP = bypassCsp, JavaScriptEnabled = javaScript });
            var page = await context.NewPageAsync();
            page.Console += (_, m) =>
            {
                if (m.Type is "error" or "warning")
                {
                    problems.Add($"console {m.Type}: {m.Text}");
                }
            };
            page.PageError += (_, e) => problems.Add($"page error: {e}");
            page.RequestFailed += (_, r) => problems.Add($"request failed: {r.Url}");
            page.Dialog += async (_, d) =>
            {
                problems.Add($"dialog: {d.Message}");
                await d.DismissAsync();
            };
            return page;
        }

        public async Task DisposeAsync()
        {
            if (chromium is not null)
            {
                await chromium.DisposeAsync();
            }

            playwright?.Dispose();
        }

        public void Dispose()
        {
            Server?.Dispose();
            site.Dispose();
        }
    }
}
