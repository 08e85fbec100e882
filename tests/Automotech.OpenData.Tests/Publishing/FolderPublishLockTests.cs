using System.Diagnostics;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Publishing;
using Automotech.OpenData.Releases;
using Microsoft.Extensions.Time.Testing;

namespace Automotech.OpenData.Tests.Publishing;

/// <summary>
/// One publisher at a time into a folder, by its <c>.publish-lock</c> held open for the run: a
/// second publisher (with its own work folder, so the work folder's lock does not stop it) fails at
/// once, publishing nothing; a killed holder leaves no lock; a failed run releases it.
/// </summary>
public sealed class FolderPublishLockTests
{
    [Fact]
    public async Task Of_two_publishers_of_one_folder_the_second_stops_at_once_and_the_first_publishes_its_release_intact()
    {
        using var temp = new TempFolder();
        var clock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
        var options = ActeursRun.Options(temp, temp.File("source.csv", File.ReadAllText(Repo.DemoSource)));

        // A has read releases.json and waits; B, another dataset with its own work folder, starts then.
        var gate = new TaskCompletionSource();
        var reached = new TaskCompletionSource();
        var runA = ActeursRun.PublishAsync(options with { WorkDirectory = temp.Combine("work-a") }, new HeldAfterReading(new LocalFolderTarget(options.OutputDirectory), ReleaseManifest.FileName, reached, gate.Task, locks: true), clock);
        await reached.Task.WaitAsync(TimeSpan.FromMinutes(2));
        var before = Snapshot(options.OutputDirectory);
        var optionsB = options with { WorkDirectory = temp.Combine("work-b"), PipelineId = "sirene-automobile", SourceOverride = null };
        var errorB = await Assert.ThrowsAsync<PipelineException>(() => ActeursRun.PublishAsync(optionsB, new LocalFolderTarget(options.OutputDirectory), clock));
        Assert.Equal(before, Snapshot(options.OutputDirectory));
        gate.SetResult();
        await runA;

        Assert.Contains("is being published by another run", errorB.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was published by this run", errorB.Message, StringComparison.Ordinal);
        var manifest = ReleaseManifest.Parse(File.OpenRead(Path.Combine(options.OutputDirectory, ReleaseManifest.FileName)), "site");
        Assert.Equal(["acteurs", "chiffres-cles"], manifest.Datasets.Select(d => d.Id).Order(StringComparer.Ordinal));
        foreach (var dataset in manifest.Datasets)
        {
            foreach (var file in dataset.Latest!.Files)
            {
                Assert.Equal(file.Sha256, FileHash.Sha256(Path.Combine(options.OutputDirectory, file.Path)));
                Assert.Equal(file.Sha256, FileHash.Sha256(Path.Combine(options.OutputDirectory, "datasets", dataset.Id, "latest", file.Name)));
            }
        }

        // A released the lock with its last upload: B now publishes, A's release kept.
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(["sirene-automobile 2026-11-25"], (await ActeursRun.PublishAsync(optionsB, new LocalFolderTarget(options.OutputDirectory), clock)).NewVersions);
    }

    [Fact]
    public async Task A_publisher_holding_the_folder_stops_the_CLI_with_exit_1_and_once_killed_leaves_no_lock()
    {
        // Another process holds the lock as a running publisher does (flock, as .NET's FileShare.None on Linux).
        // Only flock holds it (--close: its sleep does not inherit the descriptor), so that once flock
        // is reaped the lock is free: with sleep holding it too, it outlived flock by a few
        // milliseconds (56 of 200 times just after the reaping, on a loaded machine), a race
        // with the next run's lock.
        using var site = new EndToEnd.DemoSite();
        Directory.CreateDirectory(site.Site);
        var lockFile = site.Path(PublishLock.FileName);
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", "--close", lockFile, "sleep", "300"]) { UseShellExecute = false })!;
        try
        {
            await WaitUntilHeldAsync(lockFile);

            Assert.Equal(1, await site.RunAsync("publish"));
            Assert.Contains("is being published by another run", site.Error, StringComparison.Ordinal);
            Assert.Contains("Nothing was published by this run", site.Error, StringComparison.Ordinal);
            Assert.False(site.PublishedAnything);
        }
        finally
        {
            holder.Kill(entireProcessTree: true); // as a CI job cancelled or a machine rebooted would
            await holder.WaitForExitAsync();
        }

        // The system released the lock with the process: the next run proceeds at once.
        Assert.Equal(0, await site.RunAsync("publish"));
        Assert.Contains("new: acteurs", site.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_publish_that_fails_while_uploading_held_the_lock_and_released_it()
    {
        using var temp = new TempFolder();
        var clock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
        var options = ActeursRun.Options(temp, temp.File("source.csv", File.ReadAllText(Repo.DemoSource)));
        PipelineException? refusedMeanwhile = null;
        var failing = new LockedFailingTarget(new LocalFolderTarget(options.OutputDirectory), async () =>
            refusedMeanwhile = await Record.ExceptionAsync(async () => await (await new LocalFolderTarget(options.OutputDirectory).LockAsync(CancellationToken.None)).DisposeAsync()) as PipelineException);

        await Assert.ThrowsAsync<IOException>(() => ActeursRun.PublishAsync(options, failing, clock));

        Assert.NotNull(refusedMeanwhile); // while it ran, another publisher was refused
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(["acteurs 2026-11-25", "chiffres-cles 2026-11-25"], (await ActeursRun.PublishAsync(options with { WorkDirectory = temp.Combine("work-2") }, new LocalFolderTarget(options.OutputDirectory), clock)).NewVersions);
    }

    [Fact]
    public async Task The_lock_file_is_never_published_listed_or_removed()
    {
        using var site = new EndToEnd.DemoSite();
        Assert.Equal(0, await site.RunAsync("publish"));
        var source = site.Temp("next.csv");
        File.WriteAllLines(source, File.ReadAllLines(Repo.DemoSource)[..^1]);
        site.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={new string('k', 40)}"));

        // It stays (the lock of every run), empty, and no published list names it.
        var lockFile = site.Path(PublishLock.FileName);
        Assert.True(File.Exists(lockFile));
        Assert.Equal(0, new FileInfo(lockFile).Length);
        foreach (var list in new[] { "releases.json", "sitemap.xml", "catalog.jsonld", "feed.atom", "index.html" })
        {
            Assert.DoesNotContain("publish-lock", File.ReadAllText(site.Path(list)), StringComparison.Ordinal);
        }
    }

    /// <summary>Waits until another process holds the lock, seen as a publisher sees it (an exclusive open refused).</summary>
    internal static async Task WaitUntilHeldAsync(string path)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                }
            }
            catch (FileNotFoundException) when (waited.Elapsed < TimeSpan.FromSeconds(30))
            {
            }
            catch (IOException)
            {
                return; // held
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "flock did not take the lock");
            await Task.Delay(50);
        }
    }

    /// <summary>sha256 of every file but the lock's (held, and empty).</summary>
    private static Dictionary<string, string> Snapshot(string root) =>
        (Directory.Exists(root) ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories) : [])
            .Where(f => Path.GetRelativePath(root, f) != PublishLock.FileName)
            .ToDictionary(f => Path.GetRelativePath(root, f), FileHash.Sha256);
}

/// <summary>Takes the inner target's lock; its first write runs <paramref name="meanwhile"/>, then fails as a dropped connection would.</summary>
internal sealed class LockedFailingTarget(IPublishTarget inner, Func<Task> meanwhile) : ForwardingTarget(inner)
{
    public override Task<PublishLock> LockAsync(CancellationToken cancellationToken) => InnerLockAsync(cancellationToken);

    public override async Task WriteAsync(StagedFile file, CancellationToken cancellationToken)
    {
        await meanwhile();
        throw new IOException("connection lost at the first upload");
    }
}
