using System.Diagnostics;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Publishing;
using Automotech.OpenData.Releases;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Time.Testing;

namespace Automotech.OpenData.Tests.Publishing;

/// <summary>
/// One publisher at a time into a container, by a lease on its <c>.publish-lock</c> blob, against
/// Azurite (started by scripts/test.sh; these tests fail, never skip, without it).
/// </summary>
public sealed class AzurePublishLockTests
{
    [Fact]
    public async Task Of_two_publishers_of_one_container_the_second_stops_at_once_naming_the_first_and_the_first_publishes_its_release_intact()
    {
        using var temp = new TempFolder();
        var clock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
        var options = DemoOptions(temp);
        var container = await NewContainerAsync();

        // A has read releases.json and waits; B, another dataset with its own work folder, starts then.
        var gate = new TaskCompletionSource();
        var reached = new TaskCompletionSource();
        var runA = ActeursRun.PublishAsync(options with { WorkDirectory = temp.Combine("work-a") }, new HeldAfterReading(Target(container), ReleaseManifest.FileName, reached, gate.Task, locks: true), clock);
        await reached.Task.WaitAsync(TimeSpan.FromMinutes(2));
        var before = await BlobsAsync(container);
        var optionsB = options with { WorkDirectory = temp.Combine("work-b"), PipelineId = "sirene-automobile", SourceOverride = null };
        var errorB = await Assert.ThrowsAsync<PipelineException>(() => ActeursRun.PublishAsync(optionsB, Target(container), clock));
        Assert.Equal(before, await BlobsAsync(container));
        gate.SetResult();
        await runA;

        Assert.Contains("is being published by another run (host " + Environment.MachineName + ", started ", errorB.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was published by this run", errorB.Message, StringComparison.Ordinal);
        Assert.Matches("expires by itself within 60 s: run again after [0-9]{2}:[0-9]{2}:[0-9]{2} UTC", errorB.Message);
        var manifest = await ManifestAsync(container);
        Assert.Equal(["acteurs", "chiffres-cles"], manifest.Datasets.Select(d => d.Id).Order(StringComparer.Ordinal));
        var blobs = await BlobsAsync(container);
        foreach (var file in manifest.Datasets.SelectMany(d => d.Latest!.Files))
        {
            Assert.Equal(file.Bytes, blobs[file.Path].Length);
        }

        // A released its lease at its end: B now publishes at once.
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(["sirene-automobile 2026-11-25"], (await ActeursRun.PublishAsync(optionsB, Target(container), clock)).NewVersions);
    }

    [Fact]
    public async Task A_lease_a_killed_publisher_left_stops_the_CLI_until_it_expires_then_the_next_run_proceeds()
    {
        var container = await NewContainerAsync();
        using var site = new EndToEnd.DemoSite();

        // A publisher killed mid-run: its lease (the shortest Azure allows) is never released nor renewed.
        var blob = container.GetBlobClient(PublishLock.FileName);
        await blob.UploadAsync(BinaryData.Empty);
        await blob.SetMetadataAsync(new Dictionary<string, string> { ["host"] = "ci-agent-7", ["started"] = "2026-11-30T05:00:12Z" });
        var killed = Stopwatch.StartNew();
        await blob.GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(15));

        var refused = await site.RunAsync(["publish", .. AzureArgs(container)]);
        var refusedAfter = killed.Elapsed;
        Assert.True(refused == 1, $"exit code {refused} after {refusedAfter.TotalSeconds:0.0} s of the lease's 15 s: {site.Error}");
        Assert.Contains("is being published by another run (host ci-agent-7, started 2026-11-30T05:00:12Z)", site.Error, StringComparison.Ordinal);
        Assert.Contains("run again after", site.Error, StringComparison.Ordinal);
        Assert.Equal([PublishLock.FileName], (await BlobsAsync(container)).Keys);
        Assert.True(refusedAfter < TimeSpan.FromSeconds(15), $"the refusal came {refusedAfter.TotalSeconds:0.0} s after the lease was taken, once it had expired: the test proves nothing");

        // The lease expires by itself: the storage says so (no fixed wait that a slow machine or a
        // late clock could cut short), then the next run proceeds.
        var state = LeaseState.Leased;
        await Eventually.WaitAsync(
            async () => (state = (await blob.GetPropertiesAsync()).Value.LeaseState) != LeaseState.Leased,
            "the killed publisher's 15 s lease to expire",
            async () => $"{(await blob.GetPropertiesAsync()).Value.LeaseState} {killed.Elapsed.TotalSeconds:0.0} s after it was taken",
            poll: TimeSpan.FromMilliseconds(250));
        Assert.True(state == LeaseState.Expired, $"the lease ended {state}, {killed.Elapsed.TotalSeconds:0.0} s after it was taken: the refused run let it go");
        Assert.Equal(0, await site.RunAsync(["publish", .. AzureArgs(container)]));
        Assert.Contains("new: acteurs", site.Output, StringComparison.Ordinal);
        Assert.Equal(LeaseState.Available, (await blob.GetPropertiesAsync()).Value.LeaseState);
    }

    [Fact]
    public async Task A_run_longer_than_the_lease_keeps_it_by_renewing_it_and_releases_it_at_its_end()
    {
        using var temp = new TempFolder();
        var (container, gate, run, _) = await HeldRunWithShortLeaseAsync(temp);

        // A wait for nothing to happen: the lease, taken before the run read releases.json (so before
        // this wait starts), would have expired 15 s after it was taken had it not been renewed. A
        // slow machine only makes the wait longer, never too short.
        await Task.Delay(TimeSpan.FromSeconds(15) + TimeSpan.FromSeconds(5));

        var second = Target(container);
        var error = await Assert.ThrowsAsync<PipelineException>(() => second.LockAsync(CancellationToken.None));
        Assert.Contains("is being published by another run", error.Message, StringComparison.Ordinal);
        gate.SetResult();
        await run;

        Assert.Equal(LeaseState.Available, (await container.GetBlobClient(PublishLock.FileName).GetPropertiesAsync()).Value.LeaseState);
    }

    [Fact]
    public async Task A_publish_that_fails_while_uploading_held_the_lease_and_released_it()
    {
        using var temp = new TempFolder();
        var clock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
        var options = DemoOptions(temp);
        var container = await NewContainerAsync();
        LeaseState? during = null;
        var failing = new LockedFailingTarget(Target(container), async () =>
            during = (await container.GetBlobClient(PublishLock.FileName).GetPropertiesAsync()).Value.LeaseState);

        await Assert.ThrowsAsync<IOException>(() => ActeursRun.PublishAsync(options, failing, clock));

        Assert.Equal(LeaseState.Leased, during);
        Assert.Equal(LeaseState.Available, (await container.GetBlobClient(PublishLock.FileName).GetPropertiesAsync()).Value.LeaseState);
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(["acteurs 2026-11-25", "chiffres-cles 2026-11-25"], (await ActeursRun.PublishAsync(options, Target(container), clock)).NewVersions);
    }

    [Fact]
    public async Task A_cancelled_publish_releases_its_lease()
    {
        using var temp = new TempFolder();
        var clock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
        var options = DemoOptions(temp);
        var container = await NewContainerAsync();

        // Ctrl+C or SIGTERM while the run holds the lease.
        var gate = new TaskCompletionSource();
        var reached = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var run = new PipelineRunner(options, new HeldAfterReading(Target(container), ReleaseManifest.FileName, reached, gate.Task, locks: true), clock, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).PublishAsync(stop.Token);
        await reached.Task.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(LeaseState.Leased, (await container.GetBlobClient(PublishLock.FileName).GetPropertiesAsync()).Value.LeaseState);
        await stop.CancelAsync();
        gate.SetResult();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Equal(LeaseState.Available, (await container.GetBlobClient(PublishLock.FileName).GetPropertiesAsync()).Value.LeaseState);
    }

    [Fact]
    public async Task A_run_whose_lease_is_taken_from_it_stops_before_its_next_upload()
    {
        using var temp = new TempFolder();
        var (container, gate, run, held) = await HeldRunWithShortLeaseAsync(temp);

        // An operator breaks the lease (or it expired while the network was down) and another takes it.
        var lease = container.GetBlobClient(PublishLock.FileName).GetBlobLeaseClient();
        var broken = Stopwatch.StartNew();
        await lease.BreakAsync(TimeSpan.Zero);
        await lease.AcquireAsync(TimeSpan.FromSeconds(60));

        // The run learns it at its next renewal (every 5 s; waited for, however late a loaded machine
        // runs it), and within its lease's 15 s in any case: past them, the other publisher writes.
        // Only then does it go on to its uploads.
        var taken = held.Taken ?? throw new InvalidOperationException("the run read releases.json without its lock");
        await Eventually.WaitAsync(() => taken.Lost.IsCancellationRequested, "the run's renewal to find its lease taken", () => $"the lock not lost {broken.Elapsed.TotalSeconds:0.0} s after the break");
        Assert.True(broken.Elapsed < TimeSpan.FromSeconds(15), $"the run knew its lease was taken {broken.Elapsed.TotalSeconds:0.0} s after the break, past the lease's 15 s");
        gate.SetResult();

        var error = await Assert.ThrowsAsync<PipelineException>(() => run);
        Assert.Contains("could not be renewed", error.Message, StringComparison.Ordinal);
        Assert.Equal([PublishLock.FileName], (await BlobsAsync(container)).Keys);
        await lease.ReleaseAsync();
    }

    [Fact]
    public async Task The_lock_blob_is_never_published_listed_or_removed()
    {
        var container = await NewContainerAsync();
        using var site = new EndToEnd.DemoSite();
        Assert.Equal(0, await site.RunAsync(["publish", .. AzureArgs(container)]));
        var source = site.Temp("next.csv");
        File.WriteAllLines(source, File.ReadAllLines(Repo.DemoSource)[..^1]);
        site.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(0, await site.RunAsync(["publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={new string('k', 40)}", .. AzureArgs(container)]));

        var blobs = await BlobsAsync(container);
        Assert.Equal(0, blobs[PublishLock.FileName].Length);
        foreach (var list in new[] { "releases.json", "sitemap.xml", "catalog.jsonld", "feed.atom", "index.html" })
        {
            Assert.DoesNotContain("publish-lock", (await container.GetBlobClient(list).DownloadContentAsync()).Value.Content.ToString(), StringComparison.Ordinal);
        }
    }

    /// <summary>The demo's acteurs run, from a copy of the demo source (its output is the container, not a folder).</summary>
    private static RunOptions DemoOptions(TempFolder temp) =>
        ActeursRun.Options(temp, temp.File("source.csv", File.ReadAllText(Repo.DemoSource)), output: "unused-site");

    /// <summary>
    /// A publish into a new container with a 15 s lease, held once it has read releases.json (the
    /// lock taken): the caller renews past the lease, or breaks it, then opens the gate.
    /// </summary>
    private static async Task<(BlobContainerClient Container, TaskCompletionSource Gate, Task<PublishReport> Run, HeldAfterReading Held)> HeldRunWithShortLeaseAsync(TempFolder temp)
    {
        var container = await NewContainerAsync();
        var target = Target(container);
        target.LeaseDuration = TimeSpan.FromSeconds(15);
        var gate = new TaskCompletionSource();
        var reached = new TaskCompletionSource();
        var held = new HeldAfterReading(target, ReleaseManifest.FileName, reached, gate.Task, locks: true);
        var run = ActeursRun.PublishAsync(DemoOptions(temp), held, new FakeTimeProvider(EndToEnd.DemoSite.RunTime));
        await reached.Task.WaitAsync(TimeSpan.FromMinutes(2));
        return (container, gate, run, held);
    }

    private static AzureBlobTarget Target(BlobContainerClient container) =>
        AzureBlobTarget.Create(new AzureTargetOptions { ConnectionString = Azurite.ConnectionString, Container = container.Name, ServiceVersion = "2026-06-06" });

    private static string[] AzureArgs(BlobContainerClient container) =>
    [
        "--Publishing:Target=AzureBlob",
        $"--Publishing:Azure:ConnectionString={Azurite.ConnectionString}",
        $"--Publishing:Azure:Container={container.Name}",
        "--Publishing:Azure:ServiceVersion=2026-06-06",
    ];

    private static async Task<BlobContainerClient> NewContainerAsync()
    {
        var service = new BlobServiceClient(Azurite.ConnectionString, new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06));
        var container = service.GetBlobContainerClient("t" + Guid.NewGuid().ToString("N"));
        await container.CreateAsync();
        return container;
    }

    /// <summary>Every blob's size and ETag, by name.</summary>
    private static async Task<Dictionary<string, (long Length, ETag ETag)>> BlobsAsync(BlobContainerClient container)
    {
        var blobs = new Dictionary<string, (long, ETag)>(StringComparer.Ordinal);
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions()))
        {
            blobs[blob.Name] = (blob.Properties.ContentLength ?? -1, blob.Properties.ETag ?? default);
        }

        return blobs;
    }

    private static async Task<ReleaseManifest> ManifestAsync(BlobContainerClient container)
    {
        var content = await container.GetBlobClient(ReleaseManifest.FileName).DownloadContentAsync();
        return ReleaseManifest.Parse(content.Value.Content.ToStream(), container.Name);
    }
}
