using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Automotech.OpenData.BrowserTests;

/// <summary>
/// A keyboard user on a narrow screen (320 CSS pixels, WCAG 1.4.10): a table wider than the screen
/// scrolls sideways in its own box, which Tab must reach, a screen reader must name, and the arrow
/// keys must scroll (WCAG 2.1.1).
/// </summary>
public sealed class ScrollRegionTests : IClassFixture<SiteInBrowserTests.Browser>
{
    private readonly SiteInBrowserTests.Browser browser;

    public ScrollRegionTests(SiteInBrowserTests.Browser browser) => this.browser = browser;

    [Theory]
    [InlineData("datasets/acteurs/index.html")]
    [InlineData("datasets/acteurs/2026-11-25/index.html")]
    [InlineData("datasets/sirene-automobile/index.html")]
    public async Task Tab_reaches_the_downloads_table_before_its_links_and_the_arrow_keys_scroll_it(string path)
    {
        // The downloads table scrolled in a box no key could reach: Tab went from link to link inside
        // it, the box never moved, and the sha256 column stayed out of sight (axe passed only because
        // the table holds links).
        var page = await browser.NewPageAsync(320, []);
        await page.GotoAsync(browser.Url(path));
        var region = page.Locator("section[aria-labelledby=telechargements] > .scroll");
        await Assertions.Expect(region).ToHaveCountAsync(1);
        Assert.True(await Overflows(region), "the downloads table fits at 320 px: nothing to scroll, nothing tested");

        // Tab from the top of the page: the first thing focused in the downloads is their scrolling box.
        var first = await FirstFocusedWithin(page, "section[aria-labelledby=telechargements]");
        Assert.Equal("DIV scroll", first);
        await Assertions.Expect(region).ToBeFocusedAsync();
        await Assertions.Expect(region).ToHaveAttributeAsync("role", "region");
        await Assertions.Expect(region).ToHaveAccessibleNameAsync("Fichiers de la version 2026-11-25");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Fichiers de la version 2026-11-25" })).ToBeFocusedAsync();
        await AssertFocusIsVisible(region);
        await AssertArrowRightScrolls(page, region);
        Directory.CreateDirectory(browser.Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(browser.Screenshots, path.Replace('/', '_') + "-downloads-focused-320.png"), Clip = await region.BoundingBoxAsync() is { } b ? new() { X = 0, Y = b.Y - 40, Width = 320, Height = b.Height + 80 } : null });
    }

    [Fact]
    public async Task The_list_of_a_partitioned_outputs_files_opens_and_scrolls_from_the_keyboard()
    {
        var page = await browser.NewPageAsync(320, []);
        await page.GotoAsync(browser.Url("datasets/sirene-automobile/index.html"));
        var summary = page.Locator("summary", new() { HasTextString = "fichiers de sirene-automobile/" });
        await summary.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var region = page.Locator("details[open] .scroll");
        await Assertions.Expect(region).ToBeVisibleAsync();
        Assert.True(await Overflows(region), "the parts' table fits at 320 px: nothing to scroll, nothing tested");

        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(region).ToBeFocusedAsync();
        await Assertions.Expect(region).ToHaveAccessibleNameAsync(new Regex(@"^Les \d+ fichiers de sirene-automobile/$"));
        await AssertFocusIsVisible(region);
        await AssertArrowRightScrolls(page, region);
        Directory.CreateDirectory(browser.Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(browser.Screenshots, "sirene-automobile-partitions-focused-320.png"), Clip = await region.BoundingBoxAsync() is { } b ? new() { X = 0, Y = b.Y - 40, Width = 320, Height = b.Height + 80 } : null });
    }

    [Fact]
    public async Task Every_scrolling_box_of_every_page_is_a_named_region_the_keyboard_reaches()
    {
        // Every other table's box was focusable and named; the downloads' and the partitions' were not.
        var count = 0;
        foreach (var path in Directory.EnumerateFiles(browser.Site, "*.html", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(browser.Site, f).Replace('\\', '/')))
        {
            var page = await browser.NewPageAsync(320, []);
            await page.GotoAsync(browser.Url(path));
            await page.EvaluateAsync("() => document.querySelectorAll('details').forEach(d => d.open = true)");
            var boxes = page.Locator(".scroll");
            var names = new List<string>();
            for (var i = 0; i < await boxes.CountAsync(); i++)
            {
                var box = boxes.Nth(i);
                await Assertions.Expect(box).ToHaveAttributeAsync("tabindex", "0");
                await Assertions.Expect(box).ToHaveAttributeAsync("role", "region");
                await Assertions.Expect(box).ToHaveAccessibleNameAsync(new Regex(@"\S"));
                names.Add(await box.EvaluateAsync<string>("e => e.getAttribute('aria-label') ?? document.getElementById(e.getAttribute('aria-labelledby')).textContent"));
            }

            Assert.True(names.Count == names.Distinct(StringComparer.Ordinal).Count(), $"{path}: two regions named alike: {string.Join(" | ", names)}");
            count += names.Count;
            await page.Context.CloseAsync();
        }

        Assert.True(count >= 20, $"{count} scrolling boxes in the whole site");
    }

    private static Task<bool> Overflows(ILocator box) => box.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth");

    /// <summary>Presses Tab from the top of the page until the focus enters <paramref name="container"/>: the element it lands on, as "TAG class".</summary>
    private static async Task<string> FirstFocusedWithin(IPage page, string container)
    {
        for (var i = 0; i < 60; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string?>(
                "c => { const a = document.activeElement; return a && a.closest(c) ? a.tagName + ' ' + a.className : null; }", container);
            if (focused is not null)
            {
                return focused;
            }
        }

        Assert.Fail($"60 presses of Tab never reached {container}");
        return "";
    }

    /// <summary>The focused box has an outline a sighted keyboard user sees.</summary>
    private static async Task AssertFocusIsVisible(ILocator box)
    {
        var outline = await box.EvaluateAsync<JsonElement>("e => { const s = getComputedStyle(e); return [e.matches(':focus-visible'), s.outlineStyle, parseFloat(s.outlineWidth)]; }");
        Assert.True(outline[0].GetBoolean(), "the box is not :focus-visible");
        Assert.NotEqual("none", outline[1].GetString());
        Assert.True(outline[2].GetDouble() >= 2, $"a {outline[2].GetDouble()}px outline");
    }

    private static async Task AssertArrowRightScrolls(IPage page, ILocator box)
    {
        Assert.Equal(0, await box.EvaluateAsync<double>("e => e.scrollLeft"));
        await page.Keyboard.PressAsync("ArrowRight");
        var handle = await box.ElementHandleAsync();
        // The arrow scrolls smoothly, frame by frame: on a loaded machine the frames come late. A
        // minute bounds the wait (Playwright's error names the condition); the scroll is what is awaited.
        await page.WaitForFunctionAsync("e => e.scrollLeft > 0", handle, new() { Timeout = 60_000 });
    }
}
