using Automotech.OpenData.Publishing;
using Automotech.OpenData.Releases;
using Automotech.OpenData.Tests.EndToEnd;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Automotech.OpenData.Tests.Publishing;

/// <summary>
/// The <c>verify</c> verb on a blob container, through the CLI, against Azurite (started by
/// scripts/test.sh; these tests fail, never skip, without it): the demo as published is sound and
/// verify changes no blob; a changed, missing or latest/ blob that differs is damage; an orphan
/// version folder a warning; a lease held by a publisher is not damage; no secret is ever printed.
/// </summary>
public sealed class AzureVerifyTests
{
    private const string Version = "2026-11-25";

    [Fact]
    public async Task The_demo_published_to_a_container_is_sound_and_verify_changes_no_blob()
    {
        var (site, container) = await PublishedAsync();
        using var _ = site;
        var before = await BlobsAsync(container);

        Assert.Equal(0, await site.RunAsync(["verify", .. AzureArgs(container)]));

        var summary = Assert.Single(Lines(site.Output));
        Assert.StartsWith($"Verified container {container.Name} at {new Uri(Azurite.Endpoint).GetLeftPart(UriPartial.Authority)}/devstoreaccount1/{container.Name}: 3 dataset(s), 3 version(s), ", summary, StringComparison.Ordinal);
        Assert.EndsWith("0 error(s), 0 warning(s): sound.", summary, StringComparison.Ordinal);
        Assert.Equal(before, await BlobsAsync(container)); // every blob's ETag, .publish-lock's included
        Assert.Equal(LeaseState.Available, (await container.GetBlobClient(PublishLock.FileName).GetPropertiesAsync()).Value.LeaseState);
    }

    [Fact]
    public async Task A_changed_a_missing_and_a_stale_latest_blob_are_errors_and_an_orphan_folder_a_warning()
    {
        var (site, container) = await PublishedAsync();
        using var _ = site;
        var csv = $"datasets/acteurs/{Version}/acteurs.csv";
        var bytes = (await container.GetBlobClient(csv).DownloadContentAsync()).Value.Content.ToArray();
        var expected = FileHash.Sha256(bytes);
        bytes[bytes.Length / 2] ^= 0x01;
        await container.GetBlobClient(csv).UploadAsync(new BinaryData(bytes), overwrite: true);
        var parquet = $"datasets/sirene-automobile/{Version}/sirene-automobile/code_departement=31/part-0.parquet";
        await container.GetBlobClient(parquet).DeleteAsync();
        var latest = "datasets/chiffres-cles/latest/chiffres-cles.csv";
        await container.GetBlobClient(latest).UploadAsync(BinaryData.FromString("region,total\r\n"), overwrite: true);
        await container.GetBlobClient("datasets/acteurs/2026-11-18/acteurs.csv").UploadAsync(BinaryData.FromString("a\r\n"));

        Assert.Equal(1, await site.RunAsync(["verify", .. AzureArgs(container)]));

        var lines = Lines(site.Output);
        Assert.Equal(5, lines.Length);
        Assert.Equal($"error: {csv}: sha256 differs: releases.json and datapackage.json declare {expected}, found {FileHash.Sha256(bytes)} (same size, {bytes.Length} bytes).", lines[0]);
        Assert.StartsWith($"error: {latest}: differs from datasets/chiffres-cles/{Version}/chiffres-cles.csv", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"error: {parquet}: missing (releases.json and datapackage.json list it: ", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("warning: datasets/acteurs/2026-11-18/: version folder that releases.json does not list (1 file(s))", lines[3], StringComparison.Ordinal);
        Assert.EndsWith("3 error(s), 1 warning(s): damaged.", lines[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_orphan_alone_is_sound_with_a_warning()
    {
        var (site, container) = await PublishedAsync();
        using var _ = site;
        await container.GetBlobClient($"datasets/chiffres-cles/{Version}.2/chiffres-cles.csv").UploadAsync(BinaryData.FromString("a\r\n"));

        Assert.Equal(0, await site.RunAsync(["verify", .. AzureArgs(container)]));

        Assert.StartsWith($"warning: datasets/chiffres-cles/{Version}.2/: version folder", Lines(site.Output)[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lease_held_by_a_publisher_is_not_damage_verify_names_the_holder_and_checks_nothing()
    {
        var (site, container) = await PublishedAsync();
        using var _ = site;
        await container.GetBlobClient($"datasets/acteurs/{Version}/acteurs.csv").DeleteAsync(); // what a check would report
        var blob = container.GetBlobClient(PublishLock.FileName);
        await blob.SetMetadataAsync(new Dictionary<string, string> { ["host"] = "ci-agent-7", ["started"] = "2026-11-30T05:00:12Z" });
        var lease = blob.GetBlobLeaseClient();
        await lease.AcquireAsync(BlobLeaseClient.InfiniteLeaseDuration);
        try
        {
            Assert.Equal(1, await site.RunAsync(["verify", .. AzureArgs(container)]));

            var lines = Lines(site.Output);
            Assert.Equal(2, lines.Length);
            Assert.StartsWith($"error: .publish-lock: container {container.Name} at ", lines[0], StringComparison.Ordinal);
            Assert.Contains("is being published (its .publish-lock is held by host ci-agent-7, started 2026-11-30T05:00:12Z): nothing was checked", lines[0], StringComparison.Ordinal);
            Assert.EndsWith("not conclusive.", lines[1], StringComparison.Ordinal);
            Assert.Equal(LeaseState.Leased, (await blob.GetPropertiesAsync()).Value.LeaseState); // verify broke nothing
        }
        finally
        {
            await lease.ReleaseAsync();
        }

        Assert.Equal(1, await site.RunAsync(["verify", .. AzureArgs(container)]));
        Assert.StartsWith($"error: datasets/acteurs/{Version}/acteurs.csv: missing", Lines(site.Output)[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_publish_that_takes_the_lock_while_verify_reads_makes_the_report_not_conclusive()
    {
        var (site, container) = await PublishedAsync();
        using var _ = site;
        var inner = AzureBlobTarget.Create(new AzureTargetOptions { ConnectionString = Azurite.ConnectionString, Container = container.Name, ServiceVersion = "2026-06-06" });
        var publisher = AzureBlobTarget.Create(new AzureTargetOptions { ConnectionString = Azurite.ConnectionString, Container = container.Name, ServiceVersion = "2026-06-06" });

        // A publisher takes the lock and lets it go while verify reads its first data file.
        var report = await new TreeVerifier(new DuringFirstRead(inner, async () => await (await publisher.LockAsync(CancellationToken.None)).DisposeAsync())).VerifyAsync(CancellationToken.None);

        Assert.Empty(report.Findings);
        Assert.False(report.Sound);
        Assert.Contains("a publish ran while verify read", report.Interrupted, StringComparison.Ordinal);
        Assert.Contains("its .publish-lock was taken meanwhile", report.Interrupted, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_credential_is_an_error_that_never_prints_the_signature()
    {
        const string Signature = "sig-4b7f0e-never-shown";
        var (site, container) = await PublishedAsync();
        using var _ = site;
        var connection = $"BlobEndpoint={Azurite.Endpoint};SharedAccessSignature=sv=2026-06-06&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&sig={Signature}";

        Assert.Equal(1, await site.RunAsync("verify", "--Publishing:Target=AzureBlob", $"--Publishing:Azure:ConnectionString={connection}", $"--Publishing:Azure:Container={container.Name}", "--Publishing:Azure:ServiceVersion=2026-06-06"));

        Assert.StartsWith($"error: container {container.Name} at ", site.Error, StringComparison.Ordinal);
        // What verify needs, not what publish needs: a read-only credential is enough.
        Assert.Contains("access denied (AuthorizationFailure): the credential of Publishing:Azure must be allowed to read and list blobs (a SAS with r and l; or a role such as Storage Blob Data Reader); verify writes nothing.", site.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("catalogue stays live", site.Error, StringComparison.Ordinal);
        Assert.NotEmpty(site.Log); // the run's log was read (the failure itself is said on standard error)
        Assert.DoesNotContain(Signature, site.Output + site.Error + site.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("SharedAccessSignature", site.Output + site.Error + site.Log, StringComparison.Ordinal);
    }

    /// <summary>
    /// In an account with a hierarchical namespace (Data Lake Storage, which serves a static website
    /// too), folders are real: a flat listing returns each one as a zero-length blob with the metadata
    /// <c>hdi_isfolder=true</c>. They are not files: verify called every folder of a version
    /// "unlisted" and every folder of latest/ "not a file of version …", and the publisher's clean-up of
    /// latest/ deleted them (on such an account, a folder that is not empty cannot be deleted: the run
    /// would stop there every week). Azurite has no such namespace; the folder entries are written as
    /// the account lists them.
    /// </summary>
    [Fact]
    public async Task Folder_entries_of_a_hierarchical_namespace_are_not_files_to_verify_or_to_clean_from_latest()
    {
        var (site, container) = await PublishedAsync();
        using var _ = site;
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions()))
        {
            for (var slash = blob.Name.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = blob.Name.IndexOf('/', slash + 1))
            {
                folders.Add(blob.Name[..slash]);
            }
        }

        Assert.Contains("datasets/sirene-automobile/latest/sirene-automobile/code_departement=31", folders);
        foreach (var folder in folders)
        {
            await container.GetBlobClient(folder).UploadAsync(BinaryData.Empty, new BlobUploadOptions { Metadata = new Dictionary<string, string> { ["hdi_isfolder"] = "true" } });
        }

        var code = await site.RunAsync(["verify", .. AzureArgs(container)]);
        Assert.True(code == 0, site.Output);
        Assert.EndsWith("0 error(s), 0 warning(s): sound.", Assert.Single(Lines(site.Output)), StringComparison.Ordinal);

        // A publish cleans every dataset's latest/ against releases.json: the folders stay.
        Assert.Equal(0, await site.RunAsync(["publish", .. AzureArgs(container)]));
        var left = (await BlobsAsync(container)).Keys.ToHashSet(StringComparer.Ordinal);
        Assert.Equal([], folders.Except(left, StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task A_version_page_lost_from_the_container_is_rendered_again_by_the_next_publish()
    {
        // The permalink journalists cite, deleted from the container: verify names it once; the
        // next publish (the same data: no new version) lists datasets/, renders the page again and
        // uploads it into the immutable version folder, the same bytes; nothing else changes.
        var (site, container) = await PublishedAsync();
        using var _ = site;
        var page = container.GetBlobClient($"datasets/acteurs/{Version}/index.html");
        var original = (await page.DownloadContentAsync()).Value.Content.ToArray();
        await page.DeleteAsync();

        Assert.Equal(1, await site.RunAsync(["verify", .. AzureArgs(container)]));
        Assert.Equal(
            [$"error: datasets/acteurs/{Version}/index.html: missing: version {Version}'s page, its permanent link for citations. The next publish renders it again from the version's published files."],
            Lines(site.Output).Where(l => l.StartsWith("error: ", StringComparison.Ordinal)));

        var before = await BlobsAsync(container);
        Assert.Equal(0, await site.RunAsync(["publish", .. AzureArgs(container)]));
        Assert.Contains("no new version", site.Output, StringComparison.Ordinal);
        Assert.Equal(original, (await page.DownloadContentAsync()).Value.Content.ToArray());
        var after = await BlobsAsync(container);
        Assert.Equal([$"datasets/acteurs/{Version}/index.html"], after.Keys.Except(before.Keys));
        Assert.All(before.Where(b => b.Key.StartsWith("datasets/", StringComparison.Ordinal)), b => Assert.Equal(b.Value, after[b.Key])); // no data file rewritten

        Assert.Equal(0, await site.RunAsync(["verify", .. AzureArgs(container)]));
    }

    [Fact]
    public async Task A_key_figure_edited_on_a_page_in_the_container_is_an_error_and_the_page_rendered_again_is_sound()
    {
        // No manifest hashes a page: what it says is compared with the version's CSV, read from the container.
        var (site, container) = await PublishedAsync();
        using var _ = site;
        var page = container.GetBlobClient($"datasets/acteurs/{Version}/index.html");
        var original = (await page.DownloadContentAsync()).Value.Content.ToArray();
        const string Shown = "id=\"chiffre-adherents\"><span class=\"value\">180</span>";
        var html = System.Text.Encoding.UTF8.GetString(original);
        Assert.Contains(Shown, html, StringComparison.Ordinal);
        await page.UploadAsync(BinaryData.FromString(html.Replace(Shown, Shown.Replace("180", "181", StringComparison.Ordinal), StringComparison.Ordinal)), overwrite: true);

        Assert.Equal(1, await site.RunAsync(["verify", .. AzureArgs(container)]));
        Assert.Equal(
            [$"error: datasets/acteurs/{Version}/index.html: key figure 'adherents' says 181, the version's acteurs.csv gives 180. A version's page is never rewritten: delete it and publish again, which renders it from the version's published datapackage.json, CSV and changelog.json, as it renders any missing version page."],
            Lines(site.Output).Where(l => l.StartsWith("error: ", StringComparison.Ordinal) || l.StartsWith("warning: ", StringComparison.Ordinal)));

        await page.DeleteAsync();
        Assert.Equal(0, await site.RunAsync(["publish", .. AzureArgs(container)]));
        Assert.Equal(original, (await page.DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal(0, await site.RunAsync(["verify", .. AzureArgs(container)]));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task<(DemoSite Site, BlobContainerClient Container)> PublishedAsync()
    {
        var service = new BlobServiceClient(Azurite.ConnectionString, new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06));
        var container = service.GetBlobContainerClient("t" + Guid.NewGuid().ToString("N"));
        await container.CreateAsync();
        var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync(["publish", .. AzureArgs(container)]));
        return (site, container);
    }

    private static string[] AzureArgs(BlobContainerClient container) =>
    [
        "--Publishing:Target=AzureBlob",
        $"--Publishing:Azure:ConnectionString={Azurite.ConnectionString}",
        $"--Publishing:Azure:Container={container.Name}",
        "--Publishing:Azure:ServiceVersion=2026-06-06",
    ];

    /// <summary>Every blob's ETag, by name.</summary>
    private static async Task<Dictionary<string, ETag>> BlobsAsync(BlobContainerClient container)
    {
        var blobs = new Dictionary<string, ETag>(StringComparer.Ordinal);
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions()))
        {
            blobs[blob.Name] = blob.Properties.ETag ?? default;
        }

        return blobs;
    }
}
