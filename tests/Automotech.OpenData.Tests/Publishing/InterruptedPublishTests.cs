using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Publishing;
using Automotech.OpenData.Releases;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Automotech.OpenData.Tests.Publishing;

/// <summary>
/// A publish killed part-way (the runner's process killed, the network lost) and run again some
/// minutes later, as an operator or the CI's retry does: the rerun must complete the interrupted
/// release, with no manual clean-up and no extra version, in a folder and in a container.
/// </summary>
public sealed class InterruptedPublishTests
{
    // Upload k of a new release (acteurs and chiffres-cles) fails. Uploads 0-12 are the two version
    // folders, acteurs' datapackage.json (which dates the version) the fifth: from k = 5 on it is
    // published. 13-24 are the latest/ copies, then come pages and manifests.
    [Theory]
    [InlineData("folder", 3)]
    [InlineData("folder", 5)]
    [InlineData("folder", 14)]
    [InlineData("folder", 22)]
    [InlineData("blob", 5)]
    [InlineData("blob", 14)]
    public async Task A_rerun_minutes_after_an_interrupted_publish_completes_it_without_another_version(string kind, int failAfter)
    {
        using var temp = new TempFolder();
        var clock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
        var source = temp.File("source.csv", File.ReadAllText(Repo.DemoSource));
        var next = ActeursRun.WithoutLastRows(temp, source, "next.csv", 1);
        var options = ActeursRun.Options(temp, source);
        var (target, contents) = kind == "folder" ? FolderTarget(options.OutputDirectory) : await BlobTargetAsync();

        await PublishAsync(options, target(), clock);
        clock.Advance(TimeSpan.FromHours(1));
        await Assert.ThrowsAsync<IOException>(() => PublishAsync(options with { SourceOverride = next }, new FailingTarget(target(), failAfter), clock));
        var interrupted = clock.GetUtcNow();

        clock.Advance(TimeSpan.FromMinutes(20));
        var rerun = await PublishAsync(options with { SourceOverride = next }, target(), clock);

        Assert.Equal(["acteurs 2026-11-25.2", "chiffres-cles 2026-11-25.2"], rerun.NewVersions);
        var manifest = ReleaseManifest.Parse(new MemoryStream((await contents())["releases.json"]), "target");
        Assert.Equal(["2026-11-25", "2026-11-25.2"], manifest.Find("acteurs")!.Versions.Select(v => v.Version));
        var files = await contents();
        foreach (var dataset in manifest.Datasets)
        {
            foreach (var file in dataset.Versions.SelectMany(v => v.Files))
            {
                Assert.True(files.ContainsKey(file.Path), $"{file.Path} is listed but missing");
                Assert.Equal(file.Sha256, FileHash.Sha256(files[file.Path]));
            }

            foreach (var file in dataset.Latest!.Files)
            {
                Assert.Equal(file.Sha256, FileHash.Sha256(files[$"datasets/{dataset.Id}/latest/{file.Name}"]));
            }
        }

        // Once the interrupted run had dated the version, the rerun completes it as it was dated.
        if (failAfter >= 5)
        {
            Assert.Equal(interrupted.ToUnixTimeSeconds(), manifest.Find("acteurs")!.Latest!.Published.ToUnixTimeSeconds());
        }
    }

    // The unattended weekly job after a publish killed part-way, the same day, with other data: the
    // interrupted version folder was never released (releases.json does not list it), so the rerun
    // numbers past it and publishes normally, rewriting latest/ whole; the folder is left as it was.
    [Theory]
    [InlineData("folder", 3)]
    [InlineData("folder", 5)]
    [InlineData("folder", 14)]
    [InlineData("blob", 14)]
    public async Task A_rerun_the_same_day_with_other_data_numbers_past_the_interrupted_version(string kind, int failAfter)
    {
        using var temp = new TempFolder();
        var clock = new FakeTimeProvider(EndToEnd.DemoSite.RunTime);
        var source = temp.File("source.csv", File.ReadAllText(Repo.DemoSource));
        var next = ActeursRun.WithoutLastRows(temp, source, "next.csv", 1);
        var other = ActeursRun.WithoutLastRows(temp, source, "other.csv", 5);
        var options = ActeursRun.Options(temp, source);
        var (target, contents) = kind == "folder" ? FolderTarget(options.OutputDirectory) : await BlobTargetAsync();

        await PublishAsync(options, target(), clock);
        clock.Advance(TimeSpan.FromHours(1));
        await Assert.ThrowsAsync<IOException>(() => PublishAsync(options with { SourceOverride = next }, new FailingTarget(target(), failAfter), clock));
        var orphan = (await contents()).Where(f => f.Key.StartsWith("datasets/acteurs/2026-11-25.2/", StringComparison.Ordinal)).ToDictionary();
        Assert.NotEmpty(orphan);

        clock.Advance(TimeSpan.FromMinutes(20));
        var rerun = await PublishAsync(options with { SourceOverride = other }, target(), clock);

        Assert.Contains("acteurs 2026-11-25.3", rerun.NewVersions);
        var files = await contents();
        var manifest = ReleaseManifest.Parse(new MemoryStream(files["releases.json"]), "target");
        Assert.Equal(["2026-11-25", "2026-11-25.3"], manifest.Find("acteurs")!.Versions.Select(v => v.Version));
        foreach (var dataset in manifest.Datasets)
        {
            foreach (var file in dataset.Versions.SelectMany(v => v.Files))
            {
                Assert.True(files.ContainsKey(file.Path), $"{file.Path} is listed but missing");
                Assert.Equal(file.Sha256, FileHash.Sha256(files[file.Path]));
            }

            var latest = files.Keys.Where(p => p.StartsWith($"datasets/{dataset.Id}/latest/", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
            Assert.Equal(dataset.Latest!.Files.Select(f => $"datasets/{dataset.Id}/latest/{f.Name}").Order(StringComparer.Ordinal), latest);
            foreach (var file in dataset.Latest!.Files)
            {
                Assert.Equal(file.Sha256, FileHash.Sha256(files[$"datasets/{dataset.Id}/latest/{file.Name}"]));
            }
        }

        // The folder the killed run left is never released and never rewritten.
        Assert.Equal(orphan.Keys.Order(StringComparer.Ordinal), files.Keys.Where(f => f.StartsWith("datasets/acteurs/2026-11-25.2/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.All(orphan, f => Assert.Equal(f.Value, files[f.Key]));
    }

    private static Task<PublishReport> PublishAsync(RunOptions options, IPublishTarget target, TimeProvider clock) => ActeursRun.PublishAsync(options, target, clock);

    private static (Func<IPublishTarget> Target, Func<Task<Dictionary<string, byte[]>>> Contents) FolderTarget(string root) =>
        (() => new LocalFolderTarget(root),
         () => Task.FromResult(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
             .ToDictionary(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllBytes)));

    internal static async Task<(Func<IPublishTarget> Target, Func<Task<Dictionary<string, byte[]>>> Contents)> BlobTargetAsync()
    {
        var service = new BlobServiceClient(Azurite.ConnectionString, new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06));
        var container = service.GetBlobContainerClient("t" + Guid.NewGuid().ToString("N"));
        await container.CreateAsync();
        return (() => AzureBlobTarget.Create(new AzureTargetOptions { ConnectionString = Azurite.ConnectionString, Container = container.Name, ServiceVersion = "2026-06-06" }),
            async () =>
            {
                var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                await foreach (var blob in container.GetBlobsAsync())
                {
                    blobs[blob.Name] = (await container.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray();
                }

                return blobs;
            });
    }
}
