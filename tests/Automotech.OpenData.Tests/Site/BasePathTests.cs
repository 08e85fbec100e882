using System.Text.Json;
using System.Text.RegularExpressions;

namespace Automotech.OpenData.Tests.Site;

/// <summary>A site served under a path (a reverse proxy, a CDN's route): every link still resolves.</summary>
public sealed partial class BasePathTests : IClassFixture<BasePathTests.Published>
{
    private const string Base = "https://data.example.org/auto/motech/";
    private readonly EndToEnd.DemoSite site;

    public BasePathTests(Published published) => site = published.Site;

    [Fact]
    public void The_404_page_links_lead_under_the_base_path()
    {
        // The 404 page is served at any depth, so its links are root-relative: they must start
        // with the base URL's path, or the styles and the way back to the catalogue are lost.
        var html = File.ReadAllText(site.Path("404.html"));
        var links = Link().Matches(html).Select(m => m.Groups[1].Value).Where(l => l.StartsWith('/')).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, l =>
        {
            Assert.StartsWith("/auto/motech/", l, StringComparison.Ordinal);
            Assert.True(File.Exists(site.Path(l["/auto/motech/".Length..].Split('/'))), l);
        });
    }

    [Fact]
    public void Catalogue_urls_resolve_to_published_files_under_the_base_path()
    {
        using var catalog = JsonDocument.Parse(File.ReadAllText(site.Path("catalog.jsonld")));
        foreach (var dataset in catalog.RootElement.GetProperty("dcat:dataset").EnumerateArray())
        {
            foreach (var d in dataset.GetProperty("dcat:distribution").EnumerateArray())
            {
                var url = d.GetProperty("dcat:downloadURL").GetProperty("@id").GetString()!;
                Assert.StartsWith(Base, url, StringComparison.Ordinal);
                Assert.True(File.Exists(site.Path(Uri.UnescapeDataString(url[Base.Length..]).Split('/'))), url);
            }
        }
    }

    [GeneratedRegex("(?:href|src)=\"([^\"]*)\"")]
    private static partial Regex Link();

    public sealed class Published : IAsyncLifetime
    {
        public EndToEnd.DemoSite Site { get; } = new();

        // Without its trailing slash, as an operator would type it.
        public async Task InitializeAsync() => Assert.Equal(0, await Site.RunAsync("publish", "--Site:BaseUrl=https://data.example.org/auto/motech"));

        public Task DisposeAsync()
        {
            Site.Dispose();
            return Task.CompletedTask;
        }
    }
}
