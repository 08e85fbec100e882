using Automotech.OpenData.Tests.Sirene;
using Automotech.OpenData.Writers;
using Microsoft.Extensions.Time.Testing;

namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>
/// A target written by an older build of this repository, then published to by this one: the
/// target is the only state between runs and its versions are immutable, so the weekly job's next
/// publish meets what an older build left there. The old-format files are captured under
/// <c>TestData/upgrade-15575cb/</c> (see its README.md), never built from an old commit at test time.
/// </summary>
public sealed class UpgradeTests
{
    /// <summary>The time of the captured publish (Paris date 2026-11-28), so that its version folder is this test's.</summary>
    private static readonly DateTimeOffset CapturedRun = new(2026, 11, 28, 1, 3, 33, TimeSpan.Zero);

    private static List<string> Lines(string output, string prefix) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith(prefix, StringComparison.Ordinal))];

    /// <summary>
    /// The demo's Sirene stock without the establishments of Lozère (48): the next version has no
    /// <c>code_departement=48</c> part, so the publish removes it from <c>latest/</c>.
    /// </summary>
    private static string WithoutLozere(DemoSite site)
    {
        var lines = File.ReadAllLines(Path.Combine(Repo.Root, "samples", "sirene-etablissements-demo.csv"));
        var commune = Array.IndexOf(lines[0].Split(','), "codeCommuneEtablissement");
        Assert.True(commune >= 0);
        var kept = lines.Where((l, i) => i == 0 || !l.Split(',')[commune].StartsWith("48", StringComparison.Ordinal)).ToList();
        Assert.True(kept.Count < lines.Length);
        var path = site.Temp("sirene-sans-lozere.csv");
        File.WriteAllLines(path, kept);
        return path;
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    /// <summary>
    /// The whole tree 15575cb (2026-11-26) published for a small dataset of its own (four fictional
    /// charging points, CSV and Parquet partitioned by département), as it left it:
    /// <c>TestData/upgrade-15575cb/site/</c>, from <c>TestData/upgrade-15575cb/bornes/</c>. Its Parquet
    /// files are Parquet.Net's, its datapackage.json calls them tabular-data-resources, names the
    /// contact's role <c>contact</c> and writes nulls, and its version page links to latest/.
    /// </summary>
    [Fact]
    public async Task A_tree_an_older_build_published_stays_sound_through_this_builds_publishes_and_its_version_keeps_its_bytes()
    {
        using var site = new DemoSite(new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero))); // the same Paris day
        CopyTree(Repo.TestData("upgrade-15575cb/site"), site.Site);
        var pipelines = site.Temp("pipelines");
        CopyTree(Repo.TestData("upgrade-15575cb/bornes"), Path.Combine(pipelines, "bornes"));
        string[] publish = ["publish", $"--Pipeline:Directory={pipelines}"];
        var old = site.Snapshot();
        var version = old.Keys.Where(k => k.StartsWith(Path.Combine("datasets", "bornes", "2026-11-28") + Path.DirectorySeparatorChar, StringComparison.Ordinal)).ToList();
        Assert.Equal(8, version.Count); // CSV, Parquet, 2 parts, datapackage.json, schema.json, changelog.json, index.html

        Assert.Equal(0, await site.RunAsync("verify"));
        Assert.Empty(Lines(site.Output, "warning: "));

        // The same data: our format changes since (the Parquet writer, datapackage.json's profiles
        // and contributors) make no version alone.
        Assert.Equal(0, await site.RunAsync(publish));
        Assert.Contains("no new version (content unchanged)", site.Output, StringComparison.Ordinal);
        Assert.Equal(0, await site.RunAsync("verify"));
        Assert.Empty(Lines(site.Output, "warning: "));

        // Changed data: a second version that day, compared with the old one.
        var csv = Path.Combine(pipelines, "bornes", "bornes.csv");
        File.WriteAllText(csv, File.ReadAllText(csv).Replace("B002,81,50,4", "B002,81,50,6", StringComparison.Ordinal));
        Assert.Equal(0, await site.RunAsync(publish));
        Assert.Contains("new: bornes 2026-11-28.2", site.Output, StringComparison.Ordinal);
        var changelog = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(site.Path("datasets", "bornes", "2026-11-28.2", "changelog.json")))!;
        Assert.Equal("2026-11-28", (string?)changelog["previous"]);
        Assert.Equal((0, 0, 1, 3), ((int)changelog["added"]!, (int)changelog["removed"]!, (int)changelog["modified"]!, (int)changelog["unchanged"]!));
        Assert.Equal(0, await site.RunAsync("verify"));
        Assert.Empty(Lines(site.Output, "warning: "));

        // The old version's files, its page included, byte for byte, and nothing added to its folder.
        var now = site.Snapshot();
        Assert.All(version, path => Assert.Equal(old[path], now[path]));
        Assert.Equal(version.Order(StringComparer.Ordinal), now.Keys.Where(k => k.StartsWith(Path.Combine("datasets", "bornes", "2026-11-28") + Path.DirectorySeparatorChar, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        var feed = File.ReadAllText(site.Path("feed.atom"));
        Assert.Contains("https://opendata.automotech.example/datasets/bornes/2026-11-28/", feed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_old_version_page_linking_to_a_part_latest_no_longer_holds_is_a_warning_not_damage()
    {
        using var site = new DemoSite(new FakeTimeProvider(CapturedRun));
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "sirene-automobile"));

        // The version page as 15575cb (2026-11-26) rendered it: its downloads table has a column
        // « Dernière version » linking each file, partition parts included, to ../latest/. Version
        // pages stopped linking to latest/ in 1e24b56 (2026-11-27); a page already published keeps its bytes.
        var page = site.Path("datasets", "sirene-automobile", "2026-11-28", "index.html");
        File.Copy(Repo.TestData(Path.Combine("upgrade-15575cb", "sirene-automobile-version-page.html")), page, overwrite: true);
        Assert.Contains("href=\"../latest/sirene-automobile/code_departement=48/part-0.parquet\"", File.ReadAllText(page), StringComparison.Ordinal);
        Assert.Equal(0, await site.RunAsync("verify"));

        // The excerpt was captured without its charts, map and table (TestData/upgrade-15575cb/README.md):
        // it shows none of the counts its version's CSV gives, which verify says as for a page from
        // templates without them (a warning: it states no count, so none disagrees with the data).
        // A whole page of 15575cb showed them; this one warning is the excerpt's, not the build's.
        const string NoCharts = "warning: datasets/sirene-automobile/2026-11-28/index.html: shows none of the 3 chart(s) ";
        Assert.StartsWith(NoCharts, Assert.Single(Lines(site.Output, "warning: ")), StringComparison.Ordinal);
        var before = File.ReadAllBytes(page);

        // The same day, the data change: Lozère has no establishment left, its part leaves latest/.
        var source = WithoutLozere(site);
        var pipelines = PartitionedParquetTests.PipelineCopy(site, yaml => yaml.Replace(
            Path.Combine(Repo.Root, "samples", "sirene-etablissements-demo.csv"), source, StringComparison.Ordinal));
        site.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "sirene-automobile", $"--Pipeline:Directory={pipelines}"));
        Assert.Contains("new: sirene-automobile 2026-11-28.2", site.Output, StringComparison.Ordinal);
        Assert.Contains("1 no longer published removed from latest/", site.Output, StringComparison.Ordinal);
        const string Gone = "datasets/sirene-automobile/latest/sirene-automobile/code_departement=48/" + PartitionedParquetWriter.PartFile;
        Assert.False(File.Exists(site.Path(Gone)));
        Assert.Equal(before, File.ReadAllBytes(page)); // immutable: never rewritten

        // The tree is what publishes make of it: sound. The dead link is said, as a warning that
        // names the page and says that nothing is to be repaired (no publish can write the part back).
        Assert.Equal(0, await site.RunAsync("verify"));
        Assert.Empty(Lines(site.Output, "error: "));
        var warning = Assert.Single(Lines(site.Output, "warning: "), w => !w.StartsWith(NoCharts, StringComparison.Ordinal));
        Assert.Equal(2, Lines(site.Output, "warning: ").Count);
        Assert.Equal(
            $"warning: {Gone}: no longer in latest/ (version 2026-11-28.2, the newest, does not publish it), linked from the page of an older version (datasets/sirene-automobile/2026-11-28/index.html), rendered by an earlier build when version pages also linked to latest/: "
            + "a version's page is immutable and no publish rewrites it, so that link leads to the 404 page; the version's own copy of the file, linked beside it, keeps its permanent address. Nothing to repair.",
            warning);

        // A file the newest version does publish, linked from the same old page, is still damage when latest/ lacks it.
        File.Delete(site.Path("datasets", "sirene-automobile", "latest", "sirene-automobile.csv"));
        Assert.Equal(1, await site.RunAsync("verify"));
        Assert.Contains(Lines(site.Output, "error: "), e => e.StartsWith("error: datasets/sirene-automobile/latest/sirene-automobile.csv: ", StringComparison.Ordinal));
    }
}
