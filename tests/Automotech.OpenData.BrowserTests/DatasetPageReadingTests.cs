using System.Globalization;
using System.Text;
using System.Text.Json;
using Automotech.OpenData.Tests;
using Automotech.OpenData.Tests.EndToEnd;
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

    [Theory]
    [InlineData("datasets/acteurs/index.html", "acteurs")]
    [InlineData("datasets/chiffres-cles/2026-11-25/index.html", "chiffres-cles")]
    public async Task A_page_that_publishes_CSV_says_how_to_open_it_in_a_spreadsheet(string path, string id)
    {
        // French Excel opens a comma-separated UTF-8 CSV without a BOM, by double-click, as
        // Windows-1252 split on semicolons: one column of mojibake, and no page said what to do.
        var page = await browser.NewPageAsync(1280, []);
        await page.GotoAsync(browser.Url(path));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ouvrir dans un tableur", Level = 3 })).ToBeVisibleAsync();
        var downloads = page.Locator("section[aria-labelledby=telechargements]");
        await Assertions.Expect(downloads).ToContainTextAsync($"{id}.csv est encodé en UTF-8, sans BOM, et ses colonnes sont séparées par des virgules.");
        var excel = downloads.GetByRole(AriaRole.Listitem).Filter(new() { HasTextString = "Excel :" });
        await Assertions.Expect(excel).ToContainTextAsync("Données > À partir d'un fichier texte/CSV");
        await Assertions.Expect(excel).ToContainTextAsync("Origine du fichier « 65001 : Unicode (UTF-8) », Délimiteur « Virgule »");
        var calc = downloads.GetByRole(AriaRole.Listitem).Filter(new() { HasTextString = "LibreOffice Calc :" });
        await Assertions.Expect(calc).ToContainTextAsync("Jeu de caractères « Unicode (UTF-8) »");
        await Assertions.Expect(calc).ToContainTextAsync("Options de séparateur, Virgule seule");

        // What the help says of the file is what was published: UTF-8 (strict), no BOM, commas.
        var csv = await File.ReadAllBytesAsync(Path.Combine(browser.Site, "datasets", id, "2026-11-25", id + ".csv"));
        Assert.False(csv.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), "the CSV starts with a BOM");
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(csv);
        Assert.Contains(',', text[..text.IndexOf('\n', StringComparison.Ordinal)]);
        Assert.DoesNotContain(';', text[..text.IndexOf('\n', StringComparison.Ordinal)]);
    }

    [Fact]
    public async Task A_page_that_publishes_no_CSV_says_nothing_of_spreadsheets()
    {
        // acteurs published as Parquet only (without its key figures and charts, which pages count in the CSV).
        using var site = new DemoSite();
        var pipelines = site.Temp("pipelines");
        Directory.CreateDirectory(Path.Combine(pipelines, "acteurs"));
        File.Copy(Path.Combine(Repo.Pipelines, "acteurs", "schema.json"), Path.Combine(pipelines, "acteurs", "schema.json"));
        var yaml = await File.ReadAllTextAsync(Path.Combine(Repo.Pipelines, "acteurs", "pipeline.yaml"));
        var parquetOnly = Charts().Replace(KeyFigures().Replace(yaml.Replace("formats: [csv, parquet, geojson]", "formats: [parquet]", StringComparison.Ordinal), ""), "");
        Assert.DoesNotContain("csv, parquet", parquetOnly, StringComparison.Ordinal);
        Assert.DoesNotContain("key_figures", parquetOnly, StringComparison.Ordinal);
        Assert.DoesNotContain("charts:", parquetOnly, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(pipelines, "acteurs", "pipeline.yaml"), parquetOnly);
        var source = site.Temp("source.csv");
        File.Copy(Repo.DemoSource, source);
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={new string('k', 40)}", $"--Pipeline:Directory={pipelines}"));
        Assert.Empty(Directory.EnumerateFiles(site.Path("datasets", "acteurs"), "*.csv", SearchOption.AllDirectories));

        using var server = new StaticSiteServer(site.Site);
        foreach (var path in new[] { "datasets/acteurs/index.html", "datasets/acteurs/2026-11-25/index.html" })
        {
            var problems = new List<string>();
            var page = await browser.NewPageAsync(1280, problems);
            await page.GotoAsync(new Uri(server.BaseUrl, path).AbsoluteUri);
            await Assertions.Expect(page.GetByText("Données fictives de démonstration.").First).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "acteurs.parquet", Exact = true })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ouvrir dans un tableur" })).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("65001");
            Assert.Empty(problems);
        }
    }

    [Theory]
    [InlineData("acteurs")]
    [InlineData("chiffres-cles")]
    [InlineData("sirene-automobile")]
    public async Task The_dataset_page_and_the_catalogues_entry_show_the_themes_catalog_jsonld_gives_harvesters(string id)
    {
        // catalog.jsonld classed each dataset by EU data theme (dcat:theme), but no page said so:
        // a reader could not see under which theme a portal harvesting the catalogue would list it.
        using var catalog = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(browser.Site, "catalog.jsonld")));
        var entry = catalog.RootElement.GetProperty("dcat:dataset").EnumerateArray().Single(d => d.GetProperty("dct:identifier").GetString()!.EndsWith($"/{id}/", StringComparison.Ordinal));
        var theme = entry.GetProperty("dcat:theme");
        var harvested = (theme.ValueKind == JsonValueKind.Array ? theme.EnumerateArray().ToList() : [theme])
            .Select(t => (Uri: t.GetProperty("@id").GetString()!, Label: t.GetProperty("skos:prefLabel").GetProperty("@value").GetString()!))
            .ToList();

        // The bundled definitions declare their themes: the economy, and the region they map (none is transport data).
        Assert.Equal(["Économie et finances", "Régions et villes"], harvested.Select(t => t.Label));

        foreach (var path in new[] { $"datasets/{id}/index.html", $"datasets/{id}/2026-11-25/index.html" })
        {
            var page = await browser.NewPageAsync(1280, []);
            await page.GotoAsync(browser.Url(path));
            var themes = page.Locator(".facts > div").Filter(new() { Has = page.Locator("dt", new() { HasTextString = "Thèmes" }) }).Locator("dd");
            await Assertions.Expect(themes).ToHaveTextAsync(string.Join(", ", harvested.Select(t => t.Label)));
            var links = themes.GetByRole(AriaRole.Link);
            await Assertions.Expect(links).ToHaveCountAsync(harvested.Count);
            for (var i = 0; i < harvested.Count; i++)
            {
                await Assertions.Expect(links.Nth(i)).ToHaveAccessibleNameAsync(harvested[i].Label);
                await Assertions.Expect(links.Nth(i)).ToHaveAttributeAsync("href", harvested[i].Uri);
            }
        }

        // The catalogue's card lists them with its other facts, and its search finds a dataset by them.
        var home = await browser.NewPageAsync(1280, []);
        await home.GotoAsync(browser.Url("index.html"));
        var card = home.Locator("#jeux .card").Filter(new() { Has = home.Locator($"a[href='datasets/{id}/index.html']") });
        await Assertions.Expect(card.Locator(".facts > div").Filter(new() { Has = home.Locator("dt", new() { HasTextString = "Thèmes" }) }).Locator("dd"))
            .ToHaveTextAsync(string.Join(", ", harvested.Select(t => t.Label)));
        await home.GetByLabel("Rechercher").FillAsync("regions et villes");
        await Assertions.Expect(card).ToBeVisibleAsync();
    }

    [GeneratedRegex(@"  key_figures:\r?\n(    - .*\r?\n)+")]
    private static partial Regex KeyFigures();

    [GeneratedRegex(@"  charts:\r?\n(    .*\r?\n)+")]
    private static partial Regex Charts();

    private sealed record CellBox(string Text, int ClientWidth, int ScrollWidth, int ClientHeight, int ScrollHeight, int Box);

    private static long Number(string french) => long.Parse(french.Replace("\u202F", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>"1 à 17 (9 départements)", "85 (1 département)", "0 (0 département)", thousands apart with a narrow no-break space.</summary>
    [GeneratedRegex("^(?<low>[0-9\u202F]+)(?: à (?<high>[0-9\u202F]+))? \\((?<departements>[0-9]+) départements?\\)$")]
    private static partial Regex LegendEntry();
}
