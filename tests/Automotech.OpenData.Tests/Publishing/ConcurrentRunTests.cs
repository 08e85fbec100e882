using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Publishing;
using Automotech.OpenData.Releases;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Automotech.OpenData.Tests.Publishing;

/// <summary>
/// Two runs at once on one machine: the weekly job and an operator's manual publish, or a
/// scheduled <c>run</c> host and a <c>validate</c>. One must fail clearly at once; the other must
/// publish exactly what it built.
/// </summary>
public sealed class ConcurrentRunTests
{
    [Fact]
    public async Task A_second_run_on_the_same_work_directory_stops_at_once_and_the_first_publishes_its_own_files()
    {
        using var temp = new TempFolder();
        var clock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
        var source = temp.File("source.csv", File.ReadAllText(Repo.DemoSource));
        var options = Options(temp, source);
        var site = new LocalFolderTarget(options.OutputDirectory);

        // A has staged its release and waits at its first upload; B, with other data, starts then.
        var gate = new TaskCompletionSource();
        var reached = new TaskCompletionSource();
        var runA = PublishAsync(options, new HeldTarget(site, reached, gate.Task), clock);
        await reached.Task.WaitAsync(TimeSpan.FromMinutes(2));
        var sourceB = ActeursRun.WithoutLastRows(temp, source, "b.csv", 2);
        var errorB = await Assert.ThrowsAsync<PipelineException>(() => PublishAsync(options with { SourceOverride = sourceB }, site, clock));
        var errorValidate = await Assert.ThrowsAsync<PipelineException>(() => new PipelineRunner(options with { SourceOverride = sourceB }, site, clock, NullLogger.Instance).ValidateAsync(CancellationToken.None));
        gate.SetResult();
        await runA;

        Assert.Contains("Pipeline:WorkDirectory", errorB.Message, StringComparison.Ordinal);
        Assert.Contains("another run", errorB.Message, StringComparison.Ordinal);
        Assert.Contains("another run", errorValidate.Message, StringComparison.Ordinal);
        var manifest = ReleaseManifest.Parse(File.OpenRead(Path.Combine(options.OutputDirectory, ReleaseManifest.FileName)), "site");
        foreach (var dataset in manifest.Datasets)
        {
            foreach (var file in dataset.Latest!.Files)
            {
                Assert.Equal(file.Sha256, FileHash.Sha256(Path.Combine(options.OutputDirectory, file.Path)));
                Assert.Equal(file.Sha256, FileHash.Sha256(Path.Combine(options.OutputDirectory, "datasets", dataset.Id, "latest", file.Name)));
            }
        }

        // The lock goes with the run: the next one proceeds.
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(["acteurs 2026-11-25.2", "chiffres-cles 2026-11-25.2"], (await PublishAsync(options with { SourceOverride = sourceB }, site, clock)).NewVersions);
    }

    [Fact]
    public async Task Of_two_publishers_of_other_datasets_into_one_folder_the_second_to_write_releases_json_fails_and_loses_nothing()
    {
        using var temp = new TempFolder();
        var clock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
        var options = Options(temp, temp.File("source.csv", File.ReadAllText(Repo.DemoSource)));

        // Each with its own work folder: A (acteurs) stops just before writing releases.json, and
        // B (sirene-automobile) publishes meanwhile, from the releases.json both read at the start.
        var gate = new TaskCompletionSource();
        var reached = new TaskCompletionSource();
        var runA = PublishAsync(options with { WorkDirectory = temp.Combine("work-a") }, new HeldTarget(new LocalFolderTarget(options.OutputDirectory), reached, gate.Task, ReleaseManifest.FileName), clock);
        await reached.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await PublishAsync(options with { WorkDirectory = temp.Combine("work-b"), PipelineId = "sirene-automobile", SourceOverride = null }, new LocalFolderTarget(options.OutputDirectory), clock);
        gate.SetResult();
        var errorA = await Assert.ThrowsAsync<PipelineException>(() => runA);

        Assert.Contains("another publisher ran at the same time", errorA.Message, StringComparison.Ordinal);
        var manifest = ReleaseManifest.Parse(File.OpenRead(Path.Combine(options.OutputDirectory, ReleaseManifest.FileName)), "site");
        Assert.Equal(["sirene-automobile"], manifest.Datasets.Select(d => d.Id));
    }

    [Fact]
    public async Task A_publisher_that_read_the_folder_before_another_published_overwrites_none_of_its_files()
    {
        using var temp = new TempFolder();
        var clock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
        var source = temp.File("source.csv", File.ReadAllText(Repo.DemoSource));
        var options = Options(temp, source);
        await PublishAsync(options, new LocalFolderTarget(options.OutputDirectory), clock);
        clock.Advance(TimeSpan.FromHours(1));

        // B reads releases.json and is held there (building); A publishes a new release; B, with
        // the data already published, renders its pages from the releases.json it read.
        var gate = new TaskCompletionSource();
        var reached = new TaskCompletionSource();
        var runB = PublishAsync(options with { WorkDirectory = temp.Combine("work-b") }, new HeldAfterReading(new LocalFolderTarget(options.OutputDirectory), ReleaseManifest.FileName, reached, gate.Task), clock);
        await reached.Task.WaitAsync(TimeSpan.FromMinutes(2));
        var next = ActeursRun.WithoutLastRows(temp, source, "next.csv", 1);
        await PublishAsync(options with { SourceOverride = next, WorkDirectory = temp.Combine("work-a") }, new LocalFolderTarget(options.OutputDirectory), clock);
        var afterA = Snapshot(options.OutputDirectory);
        gate.SetResult();
        try
        {
            await runB;
        }
        catch (PipelineException e)
        {
            Assert.Contains("another publisher ran at the same time", e.Message, StringComparison.Ordinal); // failing is fine, clearly
        }

        var after = Snapshot(options.OutputDirectory);
        Assert.Empty(after.Where(f => !afterA.TryGetValue(f.Key, out var sha) || sha != f.Value).Select(f => f.Key));
    }

    [Fact]
    public async Task A_publisher_that_numbered_past_a_folder_another_then_released_stops_before_latest()
    {
        using var temp = new TempFolder();
        var clock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
        var source = temp.File("source.csv", File.ReadAllText(Repo.DemoSource));
        var options = Options(temp, source);
        await PublishAsync(options, new LocalFolderTarget(options.OutputDirectory), clock);
        clock.Advance(TimeSpan.FromHours(1));

        // A has written its version, latest/ and pages, not releases.json, when B reads the folder;
        // A then completes while B builds. B numbers past A's folder (unlisted when B read
        // releases.json), and must not put its latest/ and pages over A's released ones.
        var sourceA = ActeursRun.WithoutLastRows(temp, source, "a.csv", 1);
        var sourceB = ActeursRun.WithoutLastRows(temp, source, "b.csv", 2);
        var gateA = new TaskCompletionSource();
        var reachedA = new TaskCompletionSource();
        var runA = PublishAsync(options with { SourceOverride = sourceA, WorkDirectory = temp.Combine("work-a") }, new HeldTarget(new LocalFolderTarget(options.OutputDirectory), reachedA, gateA.Task, ReleaseManifest.FileName), clock);
        await reachedA.Task.WaitAsync(TimeSpan.FromMinutes(2));
        var gateB = new TaskCompletionSource();
        var reachedB = new TaskCompletionSource();
        var runB = PublishAsync(options with { SourceOverride = sourceB, WorkDirectory = temp.Combine("work-b") }, new HeldAfterReading(new LocalFolderTarget(options.OutputDirectory), ReleaseManifest.FileName, reachedB, gateB.Task), clock);
        await reachedB.Task.WaitAsync(TimeSpan.FromMinutes(2));
        gateA.SetResult();
        await runA;
        var afterA = Snapshot(options.OutputDirectory);
        gateB.SetResult();
        var errorB = await Assert.ThrowsAsync<PipelineException>(() => runB);

        Assert.Contains("another publisher ran at the same time", errorB.Message, StringComparison.Ordinal);
        var after = Snapshot(options.OutputDirectory);
        Assert.Empty(afterA.Where(f => after[f.Key] != f.Value).Select(f => f.Key));
        Assert.All(after.Keys.Except(afterA.Keys), path => Assert.Equal("2026-11-25.3", path.Split(Path.DirectorySeparatorChar)[2])); // B's unlisted version folders only
    }

    private static Dictionary<string, string> Snapshot(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(root, f), FileHash.Sha256);

    private static RunOptions Options(TempFolder temp, string source) => ActeursRun.Options(temp, source);

    private static Task<PublishReport> PublishAsync(RunOptions options, IPublishTarget target, TimeProvider clock) => ActeursRun.PublishAsync(options, target, clock);

    /// <summary>Holds the upload of <paramref name="path"/> (by default the first upload, when the run has staged everything) until released.</summary>
    private sealed class HeldTarget(IPublishTarget inner, TaskCompletionSource reached, Task gate, string? path = null) : ForwardingTarget(inner)
    {
        public override async Task WriteAsync(StagedFile file, CancellationToken cancellationToken)
        {
            if (path is null || file.Path == path)
            {
                reached.TrySetResult();
                await gate;
            }

            await base.WriteAsync(file, cancellationToken);
        }
    }
}
