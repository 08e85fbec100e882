using System.Text;
using Automotech.OpenData.Tests;
using Automotech.OpenData.Tests.EndToEnd;
using Microsoft.Playwright;

namespace Automotech.OpenData.BrowserTests;

/// <summary>
/// Records whose text carries script, attribute, URL and entity payloads are published, then
/// every page is opened in Chromium with dialog and console hooks: nothing executes, and no
/// link carries a <c>javascript:</c> URL.
/// </summary>
public sealed class HostilePayloadTests
{
    private static readonly string[] Payloads =
    [
        "<script>alert('xss-1')</script>",
        "\" onmouseover=\"alert('xss-2')\" x=\"",
        "</textarea><svg onload=alert('xss-3')>",
        "&lt;script&gt;alert('xss-4')&lt;/script&gt;",
        "javascript:alert('xss-5')",
        "<img src=x onerror=alert('xss-6')>",
        "</script><script>alert('xss-7')</script>",
    ];

    [Fact]
    public async Task Published_payloads_never_execute_and_no_link_is_javascript()
    {
        using var site = new DemoSite();
        var source = site.Temp("hostile.csv");
        await File.WriteAllTextAsync(source, HostileSource(), new UTF8Encoding(false));
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={new string('k', 40)}"));

        using var server = new StaticSiteServer(site.Site);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        var problems = new List<string>();
        var pages = Directory.EnumerateFiles(site.Site, "*.html", SearchOption.AllDirectories).ToList();
        foreach (var file in pages)
        {
            var page = await browser.NewPageAsync();
            page.Dialog += async (_, d) =>
            {
                problems.Add($"dialog on {file}: {d.Message}");
                await d.DismissAsync();
            };
            page.Console += (_, m) => problems.Add($"console {m.Type} on {file}: {m.Text}");
            page.PageError += (_, e) => problems.Add($"page error on {file}: {e}");
            var path = Path.GetRelativePath(site.Site, file).Replace('\\', '/');
            await page.GotoAsync(new Uri(server.BaseUrl, path).AbsoluteUri);
            foreach (var link in await page.Locator("main table.preview td", new() { HasText = "xss" }).AllAsync())
            {
                if (await link.IsVisibleAsync())
                {
                    await link.ScrollIntoViewIfNeededAsync();
                    // Playwright waits for the cell to be visible and still before hovering it: a
                    // loaded machine may take longer than the 2 s this had; a minute bounds it.
                    await link.HoverAsync(new() { Timeout = 60_000 });
                }
            }

            // No element carries an event-handler attribute (onmouseover, onerror, onload…).
            var handlers = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + '@' + a.name))");
            problems.AddRange(handlers.Select(h => $"event handler {h} on {file}"));

            var hrefs = await page.EvalOnSelectorAllAsync<string[]>("[href], [src], [action]", "els => els.map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))");
            problems.AddRange(hrefs.Where(h => h.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase)).Select(h => $"javascript: URL on {file}"));
            await page.CloseAsync();
        }

        var datasetPage = await File.ReadAllTextAsync(site.Path("datasets", "acteurs", "index.html"));
        Assert.Contains("&lt;script&gt;alert(&#x27;xss-1&#x27;)&lt;/script&gt;", datasetPage, StringComparison.Ordinal); // shown as text
        Assert.Contains("Content-Security-Policy", datasetPage, StringComparison.Ordinal);
        Assert.True(pages.Count >= 5);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The demo source with the payloads in the first rows' name and description (shown in the preview).</summary>
    private static string HostileSource()
    {
        var header = File.ReadLines(Repo.DemoSource).First().Split(',');
        var name = Array.IndexOf(header, "raison_sociale");
        var description = Array.IndexOf(header, "description");
        using var reader = CsvHelper.CsvReader.Create(File.OpenRead(Repo.DemoSource), CsvHelper.CsvReaderOptions.Default with { Separator = ',' }, leaveOpen: false);
        using var text = new StringWriter();
        using (var writer = CsvHelper.CsvWriter.Create(text, CsvHelper.CsvWriterOptions.Default, leaveOpen: true))
        {
            writer.WriteHeader(header);
            var i = 0;
            while (reader.Read())
            {
                var cells = Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray();
                if (i < Payloads.Length && cells[Array.IndexOf(header, "categorie_juridique")] == "5710")
                {
                    cells[name] = "Ateliers " + Payloads[i];
                    cells[description] = "Présentation " + Payloads[(i + 3) % Payloads.Length];
                    i++;
                }

                writer.WriteRecord(cells);
            }
        }

        return text.ToString();
    }
}
