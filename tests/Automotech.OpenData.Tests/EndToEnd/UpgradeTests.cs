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
        Assert.Empty(Lines(site.Output, "warning: "));
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
        var warning = Assert.Single(Lines(site.Output, "warning: "));
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
