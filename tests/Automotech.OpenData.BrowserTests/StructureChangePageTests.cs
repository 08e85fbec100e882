using Automotech.OpenData.Tests.EndToEnd;
using Microsoft.Playwright;

namespace Automotech.OpenData.BrowserTests;

/// <summary>
/// A version whose published schema changed, read in Chromium: the sentence that says so is seen,
/// its field names are shown as written (never run as HTML), it fits a 320-pixel screen, and the
/// page passes the site's gates (axe, the Nu checker).
/// </summary>
public sealed class StructureChangePageTests : IClassFixture<SiteInBrowserTests.Browser>
{
    private const string Long = "part_des_heures_en_entreprise_<script>alert(1)</script>&co";

    private readonly SiteInBrowserTests.Browser browser;

    public StructureChangePageTests(SiteInBrowserTests.Browser browser) => this.browser = browser;

    private static string Schema(string fields) => $$"""{ "fields": [ { "name": "code", "type": "string", "constraints": { "required": true } }, {{fields}} ], "primaryKey": "code" }""";

    private static string Yaml(string sourceFields, string rules) => $"""
        id: stages
        metadata:
          title: Stages de la filière
          description: Offres de stage (fictives).
          licence: {"{"} id: etalab-2.0, title: Licence Ouverte 2.0, url: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" {"}"}
          publisher: {"{"} name: Automotech, url: "https://automotech.example" {"}"}
          contact: {"{"} name: Équipe données, email: opendata@automotech.example {"}"}
          spatial: Occitanie
          update_frequency: hebdomadaire
          demo: false
        source:
          kind: csv
          path: stages.csv
          schema:
            primaryKey: [code]
            fields:
              - {"{"} name: code, type: string, constraints: {"{"} required: true {"}"} {"}"}
        {sourceFields}
        fields:
          code: {"{"} from: code {"}"}
        {rules}
        """;

    [Fact]
    public async Task The_sentence_is_seen_with_each_name_as_written_at_320_pixels_and_the_page_passes_the_gates()
    {
        using var site = new DemoSite();
        var folder = site.Temp("pipelines", "stages");
        Directory.CreateDirectory(folder);
        async Task PublishAsync(string schema, string yaml, string csv)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "schema.json"), schema);
            await File.WriteAllTextAsync(Path.Combine(folder, "pipeline.yaml"), yaml);
            await File.WriteAllTextAsync(Path.Combine(folder, "stages.csv"), csv);
            Assert.Equal(0, await site.RunAsync("publish", $"--Pipeline:Directory={site.Temp("pipelines")}"));
        }

        await PublishAsync(
            Schema("""{ "name": "duree", "type": "integer" }, { "name": "ville", "type": "string" }"""),
            Yaml("      - { name: duree, type: integer }\n      - { name: ville, type: string }", "  duree: { from: duree }\n  ville: { from: ville }"),
            "code,duree,ville\nS1,6,Albi\nS2,8,Rodez\n");
        site.Clock.Advance(TimeSpan.FromDays(7));
        await PublishAsync(
            Schema($$"""{ "name": "ville", "type": "string" }, { "name": "duree", "type": "number" }, { "name": "{{Long.Replace("\"", "\\\"", StringComparison.Ordinal)}}", "type": "number" }"""),
            Yaml("      - { name: duree, type: number }\n      - { name: ville, type: string }\n      - { name: part, type: number }", $"  ville: {{ from: ville }}\n  duree: {{ from: duree }}\n  \"{Long}\": {{ from: part }}"),
            "code,duree,ville,part\nS1,6,Albi,0.5\nS2,8,Rodez,0.25\n");

        using var server = new StaticSiteServer(site.Site);
        foreach (var path in new[] { "datasets/stages/2026-12-02/index.html", "datasets/stages/index.html" })
        {
            var problems = new List<string>();
            var page = await browser.NewPageAsync(320, problems, bypassCsp: true); // axe is injected inline
            await page.GotoAsync(new Uri(server.BaseUrl, path).AbsoluteUri);
            var banner = page.Locator("p.structure");
            await Assertions.Expect(banner).ToBeVisibleAsync();
            await Assertions.Expect(banner).ToContainTextAsync(
                $"Structure modifiée depuis la version 2026-11-25 : champ ajouté {Long} (number) ; type de duree : integer → number ; ordre des champs : code, ville, duree, {Long}.");
            var codes = await banner.Locator("code").AllTextContentsAsync();
            Assert.Contains(Long, codes);
            Assert.Contains("duree", codes);
            Assert.Equal(0, await page.EvaluateAsync<int>("() => document.querySelectorAll('main script:not([type=\"application/ld+json\"])').length")); // the name's <script> is text
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow}px wider than the screen");

            var violations = await Gates.AxeViolationsAsync(page);
            Assert.True(violations.Count == 0, string.Join("\n", violations));
            Assert.Empty(problems);
        }

        // The Nu HTML checker on both pages.
        var (errors, _) = await Gates.NuErrorsAsync(site.Path("datasets", "stages", "2026-12-02", "index.html"), site.Path("datasets", "stages", "index.html"));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
