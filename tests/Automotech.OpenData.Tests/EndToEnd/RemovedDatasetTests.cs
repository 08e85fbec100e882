using System.Text.Json;
using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>
/// A dataset whose folder is removed from <c>pipelines/</c> is no longer refreshed, and nothing of
/// it is unpublished: its versions are citations, never deleted; <c>releases.json</c>, the
/// catalogue, the feed, the sitemap and the home page keep it, dated by its last release, as the
/// README's *Removing a dataset* says.
/// </summary>
public sealed class RemovedDatasetTests
{
    [Fact]
    public async Task A_dataset_whose_definition_is_removed_stays_published_as_last_released_and_the_tree_verifies_sound()
    {
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("publish")); // every pipeline of pipelines/
        var sirene = site.Snapshot().Where(f => f.Key.StartsWith("datasets/sirene-automobile/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(sirene);

        // The definitions without sirene-automobile, and a change in acteurs' data a week later:
        // every pipeline of that folder is run, as the weekly job does.
        var pipelines = site.Temp("defs", "pipelines");
        foreach (var id in new[] { "acteurs", "chiffres-cles" })
        {
            Directory.CreateDirectory(Path.Combine(pipelines, id));
            foreach (var file in Directory.GetFiles(Path.Combine(Repo.Pipelines, id)))
            {
                File.Copy(file, Path.Combine(pipelines, id, Path.GetFileName(file)));
            }
        }

        Directory.CreateDirectory(site.Temp("defs", "samples"));
        var source = site.Temp("defs", "samples", Path.GetFileName(Repo.DemoSource));
        File.WriteAllLines(source, File.ReadAllLines(Repo.DemoSource)[..^1]);
        site.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(0, await site.RunAsync("publish", $"--Pipeline:Directory={pipelines}", $"--Anonymisation:Key={new string('k', 40)}"));
        Assert.Contains("new: acteurs 2026-12-02", site.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("sirene-automobile 2026-12-02", site.Output, StringComparison.Ordinal);

        // Its files and pages are the bytes published a week before, latest/ included.
        var after = site.Snapshot();
        Assert.All(sirene, f => Assert.Equal(f.Value, after[f.Key]));
        Assert.DoesNotContain(after.Keys, k => k.StartsWith("datasets/sirene-automobile/2026-12-02", StringComparison.Ordinal));

        // Still listed where harvesters and readers look, with its last version.
        using (var manifest = File.OpenRead(site.Path("releases.json")))
        {
            var releases = ReleaseManifest.Parse(manifest, "test");
            Assert.Equal(["2026-11-25"], releases.Find("sirene-automobile")!.Versions.Select(v => v.Version));
            Assert.Equal(["2026-11-25", "2026-12-02"], releases.Find("acteurs")!.Versions.Select(v => v.Version));
        }

        using var catalog = JsonDocument.Parse(await File.ReadAllTextAsync(site.Path("catalog.jsonld")));
        var dataset = catalog.RootElement.GetProperty("dcat:dataset").EnumerateArray()
            .Single(d => d.GetProperty("@id").GetString() == "https://opendata.automotech.example/datasets/sirene-automobile/");
        Assert.Equal("2026-11-25", dataset.GetProperty("dcat:version").GetString());
        Assert.Contains("href=\"datasets/sirene-automobile/index.html\"", await File.ReadAllTextAsync(site.Path("index.html")), StringComparison.Ordinal);
        Assert.Contains("https://opendata.automotech.example/datasets/sirene-automobile/", await File.ReadAllTextAsync(site.Path("sitemap.xml")), StringComparison.Ordinal);
        Assert.Contains("https://opendata.automotech.example/datasets/sirene-automobile/2026-11-25/", await File.ReadAllTextAsync(site.Path("feed.atom")), StringComparison.Ordinal);

        Assert.Equal(0, await site.RunAsync("verify"));
        Assert.Contains(": sound.", site.Output, StringComparison.Ordinal);
    }
}
