using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Publishing;
using Automotech.OpenData.Releases;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Automotech.OpenData.Tests.Publishing;

/// <summary>
/// Publishing into a blob container, against Azurite (started by scripts/test.sh; these tests
/// fail, never skip, without it). Each test uses a container of its own.
/// </summary>
public sealed class AzureBlobTargetTests
{
    private const string DevelopmentKey = Azurite.DevelopmentKey;

    private static string ConnectionString => Azurite.ConnectionString;

    [Fact]
    public async Task First_publish_then_no_change_then_a_data_change_upload_only_what_changed()
    {
        var container = await NewContainerAsync();
        using var site = new EndToEnd.DemoSite();
        var source = site.Temp("source.csv");
        File.Copy(Repo.DemoSource, source);
        string[] args = ["publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={new string('k', 40)}", .. AzureArgs(container)];

        Assert.Equal(0, await site.RunAsync(args));
        Assert.Matches("new: acteurs 2026-11-25, chiffres-cles 2026-11-25; [0-9]+ file\\(s\\) written, 0 unchanged", site.Output);
        var first = await BlobsAsync(container);
        Assert.Contains("index.html", first.Keys);
        Assert.Equal("text/html; charset=utf-8", first["index.html"].ContentType);
        Assert.Equal(PublishedFiles.ImmutableCache, first["datasets/acteurs/2026-11-25/acteurs.parquet"].CacheControl);
        Assert.Equal(PublishedFiles.ShortCache, first["datasets/acteurs/latest/acteurs.parquet"].CacheControl);
        Assert.Equal("application/vnd.apache.parquet", first["datasets/acteurs/latest/acteurs.parquet"].ContentType);
        Assert.All(first.Values, b => Assert.NotNull(b.ContentHash));
        Assert.Contains("acteurs: new version", site.Log, StringComparison.Ordinal); // the log was read
        Assert.DoesNotContain(DevelopmentKey, site.Output + site.Error + site.Log, StringComparison.Ordinal);

        site.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await site.RunAsync(args));
        Assert.Contains("no new version (content unchanged); 0 file(s) written", site.Output, StringComparison.Ordinal);

        File.WriteAllLines(source, File.ReadAllLines(source)[..^1]);
        site.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await site.RunAsync(args));
        var after = await BlobsAsync(container);
        var rewritten = after.Where(b => !first.TryGetValue(b.Key, out var old) || old.ETag != b.Value.ETag).Select(b => b.Key).Order().ToList();
        Assert.All(first.Keys.Where(k => k.StartsWith("datasets/acteurs/2026-11-25/", StringComparison.Ordinal)), k => Assert.DoesNotContain(k, rewritten));
        Assert.Contains("datasets/acteurs/2026-11-25.2/acteurs.csv", rewritten);
        Assert.Contains("datasets/acteurs/latest/acteurs.csv", rewritten);
        Assert.Contains("releases.json", rewritten);
        Assert.DoesNotContain("assets/site.css", rewritten);
        Assert.DoesNotContain("404.html", rewritten);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(9)]
    [InlineData(12)]
    [InlineData(15)]
    [InlineData(20)]
    [InlineData(26)]
    public async Task An_interrupted_publish_leaves_a_consistent_catalogue_and_a_rerun_equals_a_clean_publish(int failAfter)
    {
        var clock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
        using var temp = new TempFolder();
        var source = temp.File("source.csv", File.ReadAllText(Repo.DemoSource));
        var options = Options(temp, source);

        // A release is live; then the data change and the next publish is cut after k uploads.
        var container = await NewContainerAsync();
        await PublishAsync(options, Target(container), clock);
        var next = ActeursRun.WithoutLastRows(temp, source, "next.csv", 1);
        clock.Advance(TimeSpan.FromDays(7));
        var failing = new FailingTarget(Target(container), failAfter);
        await Assert.ThrowsAsync<IOException>(() => PublishAsync(options with { SourceOverride = next }, failing, clock));
        await AssertConsistentAsync(container);

        await PublishAsync(options with { SourceOverride = next }, Target(container), clock);
        await AssertConsistentAsync(container);

        // The same two publishes, uninterrupted, give the same container.
        var clean = await NewContainerAsync();
        var cleanClock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
        await PublishAsync(options, Target(clean), cleanClock);
        cleanClock.Advance(TimeSpan.FromDays(7));
        var cleanReport = await PublishAsync(options with { SourceOverride = next }, Target(clean), cleanClock);
        Assert.Equal(29, cleanReport.Result.Written); // acteurs and chiffres-cles: new versions, latest/, pages, manifests
        Assert.InRange(failAfter, 0, cleanReport.Result.Written - 1); // the cut falls inside the sequence (29 uploads, the last one index.html)
        Assert.Equal(
            (await BlobsAsync(clean)).ToDictionary(b => b.Key, b => Convert.ToHexString(b.Value.ContentHash)),
            (await BlobsAsync(container)).ToDictionary(b => b.Key, b => Convert.ToHexString(b.Value.ContentHash)));
    }

    [Fact]
    public async Task Of_two_concurrent_publishers_one_wins_and_the_other_fails_clearly_losing_nothing()
    {
        var clock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
        using var temp = new TempFolder();
        var source = temp.File("source.csv", File.ReadAllText(Repo.DemoSource));
        var options = Options(temp, source);
        var container = await NewContainerAsync();
        await PublishAsync(options, Target(container), clock);
        clock.Advance(TimeSpan.FromHours(1));

        // A changes the data and stops just before writing releases.json; B, with other data, runs
        // meanwhile. A's version folder is not listed: to B it is a folder a stopped run left, which it
        // numbers past, so B publishes 2026-11-25.3 whole and A fails on releases.json.
        var lines = File.ReadAllText(source).Split("\r\n");
        var sourceA = ActeursRun.WithoutLastRows(temp, source, "a.csv", 1);
        var sourceB = ActeursRun.WithoutLastRows(temp, source, "b.csv", 2);
        var gate = new TaskCompletionSource();
        var reached = new TaskCompletionSource();
        var gatedA = new GatedTarget(Target(container), "releases.json", reached, gate.Task);
        var runA = PublishAsync(options with { SourceOverride = sourceA, WorkDirectory = temp.Combine("work-a") }, gatedA, clock);
        await reached.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await PublishAsync(options with { SourceOverride = sourceB, WorkDirectory = temp.Combine("work-b") }, Target(container), clock);
        gate.SetResult();
        var errorA = await Assert.ThrowsAsync<PipelineException>(() => runA);
        Assert.Contains("another publisher ran at the same time", errorA.Message, StringComparison.Ordinal);

        var manifest = await ManifestAsync(container);
        var latest = manifest.Find("acteurs")!.Latest!;
        Assert.Equal(["2026-11-25", "2026-11-25.3"], manifest.Find("acteurs")!.Versions.Select(v => v.Version));
        Assert.Equal(lines.Length - 3 - 1 - 5 - latest.Privacy.KAnonymity!.RowsSuppressed, latest.Rows); // B's data: header, 5 bad rows and the rows k-anonymity withholds out
        await AssertConsistentAsync(container);
    }

    [Fact]
    public async Task A_publisher_that_numbered_past_a_folder_another_then_released_stops_before_latest()
    {
        var clock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
        using var temp = new TempFolder();
        var source = temp.File("source.csv", File.ReadAllText(Repo.DemoSource));
        var options = Options(temp, source);
        var container = await NewContainerAsync();
        await PublishAsync(options, Target(container), clock);
        clock.Advance(TimeSpan.FromHours(1));

        // A has written its version, latest/ and pages, not releases.json, when B reads the container;
        // A then completes while B builds. B numbers past A's folder (unlisted when B read
        // releases.json), and must not put its latest/ and pages over A's released ones.
        var sourceA = ActeursRun.WithoutLastRows(temp, source, "a.csv", 1);
        var sourceB = ActeursRun.WithoutLastRows(temp, source, "b.csv", 2);
        var gateA = new TaskCompletionSource();
        var reachedA = new TaskCompletionSource();
        var runA = PublishAsync(options with { SourceOverride = sourceA, WorkDirectory = temp.Combine("work-a") }, new GatedTarget(Target(container), "releases.json", reachedA, gateA.Task), clock);
        await reachedA.Task.WaitAsync(TimeSpan.FromMinutes(2));
        var gateB = new TaskCompletionSource();
        var reachedB = new TaskCompletionSource();
        var runB = PublishAsync(options with { SourceOverride = sourceB, WorkDirectory = temp.Combine("work-b") }, new HeldAfterReading(Target(container), ReleaseManifest.FileName, reachedB, gateB.Task), clock);
        await reachedB.Task.WaitAsync(TimeSpan.FromMinutes(2));
        gateA.SetResult();
        await runA;
        var afterA = (await BlobsAsync(container)).ToDictionary(b => b.Key, b => b.Value.ETag);
        gateB.SetResult();
        var errorB = await Assert.ThrowsAsync<PipelineException>(() => runB);

        Assert.Contains("another publisher ran at the same time", errorB.Message, StringComparison.Ordinal);
        Assert.Equal("2026-11-25.2", (await ManifestAsync(container)).Find("acteurs")!.Latest!.Version);
        Assert.Empty((await BlobsAsync(container)).Where(b => afterA.TryGetValue(b.Key, out var etag) && etag != b.Value.ETag).Select(b => b.Key));
        await AssertConsistentAsync(container);
    }

    [Fact]
    public async Task A_publisher_that_read_the_container_before_another_published_overwrites_none_of_its_pages()
    {
        var clock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
        using var temp = new TempFolder();
        var source = temp.File("source.csv", File.ReadAllText(Repo.DemoSource));
        var options = Options(temp, source);
        var container = await NewContainerAsync();
        await PublishAsync(options, Target(container), clock);
        clock.Advance(TimeSpan.FromHours(1));

        // B reads releases.json and is held there (building a large source); meanwhile A publishes
        // a new release. B, with the data already published, then renders its pages from the
        // releases.json it read: none may replace A's.
        var gate = new TaskCompletionSource();
        var reached = new TaskCompletionSource();
        var runB = PublishAsync(options with { WorkDirectory = temp.Combine("work-b") }, new HeldAfterReading(Target(container), ReleaseManifest.FileName, reached, gate.Task), clock);
        await reached.Task.WaitAsync(TimeSpan.FromMinutes(2));
        var next = ActeursRun.WithoutLastRows(temp, source, "next.csv", 1);
        await PublishAsync(options with { SourceOverride = next, WorkDirectory = temp.Combine("work-a") }, Target(container), clock);
        var afterA = (await BlobsAsync(container)).ToDictionary(b => b.Key, b => b.Value.ETag);
        gate.SetResult();
        try
        {
            await runB;
        }
        catch (PipelineException e)
        {
            Assert.Contains("another publisher ran at the same time", e.Message, StringComparison.Ordinal); // failing is fine, clearly
        }

        var rewritten = (await BlobsAsync(container)).Where(b => !afterA.TryGetValue(b.Key, out var etag) || etag != b.Value.ETag).Select(b => b.Key).ToList();
        Assert.Empty(rewritten);
        await AssertConsistentAsync(container);
    }

    [Fact]
    public async Task A_partition_no_longer_published_leaves_latest_in_the_container_and_stays_in_its_version()
    {
        var container = await NewContainerAsync();
        using var temp = new TempFolder();
        async Task<StagedTree> TreeAsync(string name, params string[] paths)
        {
            var tree = new StagedTree(temp.Combine(name));
            foreach (var path in paths)
            {
                await tree.WriteAsync(path, System.Text.Encoding.UTF8.GetBytes(path), CancellationToken.None);
            }

            return tree;
        }

        var first = await TreeAsync("v1", "datasets/s/v1/s/d=09/part-0.parquet", "datasets/s/v1/s/d=31/part-0.parquet", "datasets/s/latest/s/d=09/part-0.parquet", "datasets/s/latest/s/d=31/part-0.parquet");
        await new Publisher(Target(container)).PublishAsync(first, new HashSet<string>(), CancellationToken.None, new Dictionary<string, IReadOnlySet<string>> { ["datasets/s/latest/"] = new HashSet<string> { "datasets/s/latest/s/d=09/part-0.parquet", "datasets/s/latest/s/d=31/part-0.parquet" } });
        var next = await TreeAsync("v2", "datasets/s/v2/s/d=31/part-0.parquet", "datasets/s/latest/s/d=31/part-0.parquet");
        var result = await new Publisher(Target(container)).PublishAsync(next, new HashSet<string> { "datasets/s/v1/" }, CancellationToken.None, new Dictionary<string, IReadOnlySet<string>> { ["datasets/s/latest/"] = new HashSet<string> { "datasets/s/latest/s/d=31/part-0.parquet" } });

        Assert.Equal(1, result.Deleted);
        Assert.Equal(
            ["datasets/s/latest/s/d=31/part-0.parquet", "datasets/s/v1/s/d=09/part-0.parquet", "datasets/s/v1/s/d=31/part-0.parquet", "datasets/s/v2/s/d=31/part-0.parquet"],
            (await BlobsAsync(container)).Keys.Order(StringComparer.Ordinal));
        Assert.Equal("datasets/s/latest/s/d=31/part-0.parquet", (await container.GetBlobClient("datasets/s/latest/s/d=31/part-0.parquet").DownloadContentAsync()).Value.Content.ToString());
    }

    [Fact]
    public async Task A_credential_that_may_not_delete_is_a_clear_error_when_latest_must_lose_a_file()
    {
        var container = await NewContainerAsync();
        using var temp = new TempFolder();
        var tree = new StagedTree(temp.Combine("v1"));
        await tree.WriteAsync("datasets/s/latest/s/d=09/part-0.parquet", "old"u8.ToArray(), CancellationToken.None);
        await new Publisher(Target(container)).PublishAsync(tree, new HashSet<string>(), CancellationToken.None);

        // A SAS that may read, list and write, not delete.
        var sas = container.GenerateSasUri(Azure.Storage.Sas.BlobContainerSasPermissions.Read | Azure.Storage.Sas.BlobContainerSasPermissions.List | Azure.Storage.Sas.BlobContainerSasPermissions.Write | Azure.Storage.Sas.BlobContainerSasPermissions.Create, DateTimeOffset.UtcNow.AddHours(1));
        var endpoint = sas.GetLeftPart(UriPartial.Path)[..^(container.Name.Length + 1)];
        var writeOnly = AzureBlobTarget.Create(new AzureTargetOptions { ConnectionString = $"BlobEndpoint={endpoint};SharedAccessSignature={sas.Query.TrimStart('?')}", Container = container.Name, ServiceVersion = "2026-06-06" });
        var next = new StagedTree(temp.Combine("v2"));
        await next.WriteAsync("datasets/s/latest/s/d=31/part-0.parquet", "new"u8.ToArray(), CancellationToken.None);
        var e = await Assert.ThrowsAsync<PipelineException>(() => new Publisher(writeOnly).PublishAsync(next, new HashSet<string>(), CancellationToken.None,
            new Dictionary<string, IReadOnlySet<string>> { ["datasets/s/latest/"] = new HashSet<string> { "datasets/s/latest/s/d=31/part-0.parquet" } }));

        Assert.Contains("removing datasets/s/latest/s/d=09/part-0.parquet (no longer published) from latest/: access denied", e.Message, StringComparison.Ordinal);
        Assert.Contains("a SAS with r, l, w and d", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", e.ToString(), StringComparison.Ordinal);
        Assert.True((await BlobsAsync(container)).ContainsKey("datasets/s/latest/s/d=31/part-0.parquet")); // the new file is published all the same
    }

    [Fact]
    public async Task A_missing_container_is_a_clear_error()
    {
        using var site = new EndToEnd.DemoSite();
        var missing = new BlobServiceClient(ConnectionString).GetBlobContainerClient("absent" + Guid.NewGuid().ToString("N"));
        Assert.Equal(1, await site.RunAsync(["publish", .. AzureArgs(missing)]));
        Assert.Contains("does not exist", site.Error, StringComparison.Ordinal);
        Assert.NotEmpty(site.Log); // the run's log was read (the failure itself is said on standard error)
        Assert.DoesNotContain(DevelopmentKey, site.Output + site.Error + site.Log, StringComparison.Ordinal);
    }

    private static RunOptions Options(TempFolder temp, string source) => ActeursRun.Options(temp, source, output: "unused-site");

    private static Task<PublishReport> PublishAsync(RunOptions options, IPublishTarget target, TimeProvider clock) => ActeursRun.PublishAsync(options, target, clock);

    private static AzureBlobTarget Target(BlobContainerClient container) =>
        AzureBlobTarget.Create(new AzureTargetOptions { ConnectionString = ConnectionString, Container = container.Name, ServiceVersion = "2026-06-06" });

    private static string[] AzureArgs(BlobContainerClient container) =>
    [
        "--Publishing:Target=AzureBlob",
        $"--Publishing:Azure:ConnectionString={ConnectionString}",
        $"--Publishing:Azure:Container={container.Name}",
        "--Publishing:Azure:ServiceVersion=2026-06-06",
    ];

    private static async Task<BlobContainerClient> NewContainerAsync()
    {
        var service = new BlobServiceClient(ConnectionString, new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06));
        var container = service.GetBlobContainerClient("t" + Guid.NewGuid().ToString("N"));
        await container.CreateAsync();
        return container;
    }

    private static async Task<Dictionary<string, BlobItemProperties>> BlobsAsync(BlobContainerClient container)
    {
        var blobs = new Dictionary<string, BlobItemProperties>(StringComparer.Ordinal);
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions()))
        {
            blobs[blob.Name] = blob.Properties;
        }

        return blobs;
    }

    private static async Task<ReleaseManifest> ManifestAsync(BlobContainerClient container)
    {
        var content = await container.GetBlobClient(ReleaseManifest.FileName).DownloadContentAsync();
        return ReleaseManifest.Parse(content.Value.Content.ToStream(), container.Name);
    }

    /// <summary>What readers see is whole: every file releases.json lists is there, with its size.</summary>
    private static async Task AssertConsistentAsync(BlobContainerClient container)
    {
        var blobs = await BlobsAsync(container);
        var manifest = await ManifestAsync(container);
        foreach (var file in manifest.Datasets.SelectMany(d => d.Versions).SelectMany(v => v.Files))
        {
            Assert.True(blobs.TryGetValue(file.Path, out var blob), $"{file.Path} is listed but missing");
            Assert.Equal(file.Bytes, blob!.ContentLength);
        }

        var index = (await container.GetBlobClient("index.html").DownloadContentAsync()).Value.Content.ToString();
        foreach (var href in System.Text.RegularExpressions.Regex.Matches(index, "href=\"([^\"#:]+)\"").Select(m => m.Groups[1].Value))
        {
            Assert.True(blobs.ContainsKey(href), $"index.html links to {href}, which is missing");
        }
    }

    /// <summary>Holds a write of one path until released: two publishers then overlap deterministically.</summary>
    private sealed class GatedTarget(IPublishTarget inner, string path, TaskCompletionSource reached, Task gate) : ForwardingTarget(inner)
    {
        public override async Task WriteAsync(StagedFile file, CancellationToken cancellationToken)
        {
            if (file.Path == path)
            {
                reached.TrySetResult();
                await gate;
            }

            await base.WriteAsync(file, cancellationToken);
        }
    }
}
