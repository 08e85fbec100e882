using System.Diagnostics;
using Automotech.OpenData.Publishing;
using Automotech.OpenData.Releases;
using Automotech.OpenData.Tests.EndToEnd;

namespace Automotech.OpenData.Tests.Worker;

/// <summary>
/// The <c>verify</c> verb on a published folder, through the CLI: the demo as published is sound;
/// a changed, missing or added file is damage (exit 1, the path and what is wrong); an orphan
/// version folder is a warning (exit 0); a publisher holding the lock is not damage (exit 1, said
/// so, nothing checked); and verify itself writes nothing.
/// </summary>
public sealed class VerifyVerbTests
{
    private const string Version = "2026-11-25"; // DemoSite.RunTime, in Paris

    private static async Task<DemoSite> PublishedAsync()
    {
        var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("publish"));
        return site;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task A_cancelled_verify_says_its_check_is_unfinished_not_that_nothing_more_was_published()
    {
        // Ctrl+C during verify printed publish's "cancelled; nothing more was published", which
        // reads as if verify had been publishing.
        using var site = await PublishedAsync();
        var before = site.Snapshot();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.Equal(1, await site.RunAsync(cancelled.Token, "verify"));

        Assert.Equal("error: cancelled; the check was not finished (verify changes nothing).", site.Error.Trim());
        Assert.Equal(before, site.Snapshot());
    }

    [Fact]
    public async Task The_demo_as_published_is_sound_and_every_file_was_read()
    {
        using var site = await PublishedAsync();
        var before = site.Snapshot();

        Assert.Equal(0, await site.RunAsync("verify"));

        var manifest = ReleaseManifest.Parse(File.OpenRead(site.Path("releases.json")), "site");
        var versionFiles = manifest.Datasets.SelectMany(d => d.Versions).SelectMany(v => v.Files).ToList();
        var latestFiles = manifest.Datasets.SelectMany(d => d.Latest!.Files).ToList();
        var files = versionFiles.Count + latestFiles.Count;
        var bytes = versionFiles.Sum(f => f.Bytes) + latestFiles.Sum(f => f.Bytes);
        var summary = Assert.Single(Lines(site.Output));
        Assert.Equal($"Verified {site.Site}: 3 dataset(s), 3 version(s), {files} file(s) and {bytes} bytes checked; 0 error(s), 0 warning(s): sound.", summary);
        Assert.Equal("", site.Error);
        Assert.Equal(before, site.Snapshot()); // read only
    }

    [Fact]
    public async Task A_folder_named_with_a_trailing_slash_is_published_and_verified_as_the_same_folder()
    {
        // --output out/site/ (as a CI script joins "$SITE_DIR/"): every path of the tree was refused
        // as "leaving the published folder", and publish and verify stopped with an internal error, exit 70.
        using var site = new DemoSite();
        var slashed = site.Site + Path.DirectorySeparatorChar;

        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "chiffres-cles", "--output", slashed));
        Assert.True(File.Exists(site.Path("releases.json")));
        var code = await site.RunAsync("verify", "--output", slashed);

        Assert.True(code == 0, site.Output + site.Error);
        var summary = Assert.Single(Lines(site.Output));
        Assert.StartsWith($"Verified {site.Site}: 2 dataset(s), 2 version(s), ", summary, StringComparison.Ordinal); // chiffres-cles, and acteurs it is derived from
        Assert.EndsWith(" 0 error(s), 0 warning(s): sound.", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_byte_flipped_in_a_versioned_csv_is_an_error_naming_the_file_and_both_hashes()
    {
        using var site = await PublishedAsync();
        var path = $"datasets/acteurs/{Version}/acteurs.csv";
        var file = site.Path(path.Split('/'));
        var expected = FileHash.Sha256(file);
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(file, bytes);
        var found = FileHash.Sha256(file);

        Assert.Equal(1, await site.RunAsync("verify"));

        var line = Assert.Single(Lines(site.Output), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Equal($"error: {path}: sha256 differs: releases.json and datapackage.json declare {expected}, found {found} (same size, {bytes.Length} bytes).", line);
        Assert.EndsWith("1 error(s), 0 warning(s): damaged.", Lines(site.Output)[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_parquet_file_is_an_error()
    {
        using var site = await PublishedAsync();
        var path = $"datasets/sirene-automobile/{Version}/sirene-automobile/code_departement=31/part-0.parquet";
        File.Delete(site.Path(path.Split('/')));
        var versioned = $"datasets/acteurs/{Version}/acteurs.parquet";
        File.Delete(site.Path(versioned.Split('/')));

        Assert.Equal(1, await site.RunAsync("verify"));

        var errors = Lines(site.Output).Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, errors.Count);
        Assert.StartsWith($"error: {versioned}: missing (releases.json and datapackage.json list it: ", errors[0], StringComparison.Ordinal);
        Assert.StartsWith($"error: {path}: missing (releases.json and datapackage.json list it: ", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_of_latest_that_differs_from_the_newest_version_is_an_error()
    {
        using var site = await PublishedAsync();
        var latest = site.Path("datasets", "chiffres-cles", "latest", "chiffres-cles.parquet");
        var declared = FileHash.Sha256(latest);
        File.WriteAllBytes(latest, [.. File.ReadAllBytes(latest), 0]);
        var extra = site.Path("datasets", "acteurs", "latest", "acteurs-2026-11-18.csv");
        File.WriteAllText(extra, "a,b\r\n");

        Assert.Equal(1, await site.RunAsync("verify"));

        var errors = Lines(site.Output).Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("error: datasets/acteurs/latest/acteurs-2026-11-18.csv: not a file of version 2026-11-25, the newest", errors[0], StringComparison.Ordinal);
        Assert.StartsWith($"error: datasets/chiffres-cles/latest/chiffres-cles.parquet: differs from datasets/chiffres-cles/{Version}/chiffres-cles.parquet", errors[1], StringComparison.Ordinal);
        Assert.Contains($"sha256 {declared}; found", errors[1], StringComparison.Ordinal);
        Assert.Contains($"sha256 {FileHash.Sha256(latest)}", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_folder_that_releases_json_does_not_list_is_a_warning_naming_it()
    {
        using var site = await PublishedAsync();
        var orphan = site.Path("datasets", "acteurs", "2026-11-25.2");
        Directory.CreateDirectory(orphan);
        File.Copy(site.Path("datasets", "acteurs", Version, "acteurs.csv"), Path.Combine(orphan, "acteurs.csv"));

        Assert.Equal(0, await site.RunAsync("verify"));

        var lines = Lines(site.Output);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("warning: datasets/acteurs/2026-11-25.2/: version folder that releases.json does not list (1 file(s))", lines[0], StringComparison.Ordinal);
        Assert.Contains("delete every file under datasets/acteurs/2026-11-25.2/", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("0 error(s), 1 warning(s): sound.", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_added_to_a_version_folder_is_an_error_and_a_stale_partial_copy_is_reported_not_removed()
    {
        using var site = await PublishedAsync();
        File.WriteAllText(site.Path("datasets", "acteurs", Version, "notes.txt"), "added by hand");
        var partial = site.Path("datasets", "chiffres-cles", Version, "chiffres-cles.csv.partial");
        File.WriteAllText(partial, "half");
        File.SetLastWriteTimeUtc(partial, DateTime.UtcNow.AddDays(-2)); // what the next publish removes

        Assert.Equal(1, await site.RunAsync("verify"));

        var errors = Lines(site.Output).Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, errors.Count);
        Assert.StartsWith($"error: datasets/acteurs/{Version}/notes.txt: unlisted: neither releases.json nor the version's datapackage.json lists it", errors[0], StringComparison.Ordinal);
        Assert.StartsWith($"error: datasets/chiffres-cles/{Version}/chiffres-cles.csv.partial: unlisted", errors[1], StringComparison.Ordinal);
        Assert.True(File.Exists(partial), "verify removed a file");
    }

    [Fact]
    public async Task A_damaged_releases_json_or_an_empty_folder_is_an_error()
    {
        using var site = await PublishedAsync();
        File.WriteAllText(site.Path("releases.json"), "{\"formatVersion\": 1, \"datasets\": [");
        Assert.Equal(1, await site.RunAsync("verify"));
        Assert.StartsWith("error: releases.json: not a valid release manifest (line 1", Lines(site.Output)[0], StringComparison.Ordinal);

        var empty = site.Temp("empty");
        Assert.Equal(1, await site.RunAsync("verify", "--output", empty));
        Assert.StartsWith("error: releases.json: missing: folder ", Lines(site.Output)[0], StringComparison.Ordinal);
        Assert.False(Directory.Exists(empty), "verify created the folder");
    }

    /// <summary>A release manifest edited by hand can hold null where a list or a name goes: an error naming it, never an internal error (exit 70).</summary>
    [Theory]
    [InlineData("""{"formatVersion": 1, "datasets": null}""", "error: releases.json: has no list of datasets")]
    [InlineData("""{"formatVersion": 1, "datasets": [null]}""", "error: releases.json: dataset n° 1 is null")]
    [InlineData("""{"formatVersion": 1, "datasets": [{"id": null, "versions": []}]}""", "error: releases.json: a dataset id must be one folder name")]
    [InlineData("""{"formatVersion": 1, "datasets": [{"id": "a", "versions": null}]}""", "error: releases.json: dataset 'a' has no list of versions")]
    [InlineData("""{"formatVersion": 1, "datasets": [{"id": "a", "versions": [null]}]}""", "error: releases.json: dataset 'a': version n° 1 is null")]
    [InlineData("""{"formatVersion": 1, "datasets": [{"id": "a", "versions": [{"version": null}]}]}""", "error: releases.json: dataset 'a': '' is not a version")]
    [InlineData("""{"formatVersion": 1, "datasets": [{"id": "a", "versions": [{"version": "2026-11-25", "files": null}]}]}""", "error: releases.json: dataset 'a': version 2026-11-25 has no list of files")]
    [InlineData("""{"formatVersion": 1, "datasets": [{"id": "a", "versions": [{"version": "2026-11-25", "files": [null]}]}]}""", "error: releases.json: dataset 'a': version 2026-11-25: file n° 1 is null")]
    [InlineData("""{"formatVersion": 1, "datasets": [{"id": "a", "versions": [{"version": "2026-11-25", "files": [{"name": null, "path": null, "sha256": null}]}]}]}""", "error: releases.json: datasets/a/2026-11-25/: lists a file '' named ''")]
    public async Task Nulls_in_releases_json_are_errors_not_internal_errors(string manifest, string expected)
    {
        using var site = new DemoSite();
        Directory.CreateDirectory(site.Site);
        File.WriteAllText(site.Path("releases.json"), manifest);

        Assert.Equal(1, await site.RunAsync("verify"));

        Assert.StartsWith(expected, Lines(site.Output)[0], StringComparison.Ordinal);
        Assert.Equal("", site.Error);
    }

    [Fact]
    public async Task Ill_formed_versions_in_releases_json_are_errors()
    {
        using var site = await PublishedAsync();
        var text = File.ReadAllText(site.Path("releases.json"));
        File.WriteAllText(site.Path("releases.json"), text.Replace($"\"version\": \"{Version}\"", "\"version\": \"2026-13-45\"", StringComparison.Ordinal));

        Assert.Equal(1, await site.RunAsync("verify"));

        Assert.Contains(Lines(site.Output), l => l.StartsWith("error: releases.json: dataset 'acteurs': '2026-13-45' is not a version", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_version_listed_twice_is_one_error_and_its_files_are_checked_once()
    {
        using var site = await PublishedAsync();
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(site.Path("releases.json")))!;
        var versions = manifest["datasets"]!.AsArray().Single(d => (string?)d!["id"] == "chiffres-cles")!["versions"]!.AsArray();
        versions.Add(versions[0]!.DeepClone());
        File.WriteAllText(site.Path("releases.json"), manifest.ToJsonString());
        File.AppendAllText(site.Path("datasets", "chiffres-cles", Version, "chiffres-cles.csv"), "x");

        Assert.Equal(1, await site.RunAsync("verify"));

        var errors = Lines(site.Output).Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Equal($"error: releases.json: dataset 'chiffres-cles': version {Version} is listed twice.", errors[0]);
        Assert.StartsWith($"error: datasets/chiffres-cles/{Version}/chiffres-cles.csv: size differs", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_publisher_holding_the_lock_is_not_damage_verify_says_so_and_checks_nothing()
    {
        using var site = await PublishedAsync();
        File.Delete(site.Path("datasets", "acteurs", Version, "acteurs.csv")); // what a check would report
        var lockFile = site.Path(PublishLock.FileName);
        // flock alone holds the lock (--close), so that it is free once flock is reaped (FolderPublishLockTests).
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", "--close", lockFile, "sleep", "300"]) { UseShellExecute = false })!;
        try
        {
            await Publishing.FolderPublishLockTests.WaitUntilHeldAsync(lockFile);

            Assert.Equal(1, await site.RunAsync("verify"));

            var lines = Lines(site.Output);
            Assert.Equal(2, lines.Length);
            Assert.StartsWith($"error: .publish-lock: folder {site.Site} is being published (its .publish-lock is held): nothing was checked", lines[0], StringComparison.Ordinal);
            Assert.EndsWith("0 error(s), 0 warning(s): not conclusive.", lines[1], StringComparison.Ordinal);
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }

        // Released: the check runs, and finds the damage.
        Assert.Equal(1, await site.RunAsync("verify"));
        Assert.StartsWith($"error: datasets/acteurs/{Version}/acteurs.csv: missing", Lines(site.Output)[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_publish_that_changes_releases_json_while_verify_reads_makes_the_report_not_conclusive()
    {
        using var site = await PublishedAsync();
        var manifest = site.Path("releases.json");
        var target = new OpenData.Tests.Publishing.DuringFirstRead(new LocalFolderTarget(site.Site), () => File.AppendAllTextAsync(manifest, "\n"));

        var report = await new TreeVerifier(target).VerifyAsync(CancellationToken.None);

        Assert.Empty(report.Findings);
        Assert.False(report.Sound);
        Assert.Equal($"a publish ran while verify read folder {site.Site} (releases.json changed meanwhile): the findings above may be its work in progress, not damage. Run verify again when it has finished.", report.Interrupted);
    }

    [Fact]
    public async Task Verify_creates_no_lock_file_and_needs_no_key()
    {
        using var site = await PublishedAsync();
        File.Delete(site.Path(PublishLock.FileName));
        var before = site.Snapshot();

        // DemoSite gives no Anonymisation:Key; a typo in a setting still stops it, as for publish.
        Assert.Equal(0, await site.RunAsync("verify"));
        Assert.Equal(before, site.Snapshot());
        Assert.Equal(1, await site.RunAsync("verify", "--Publishing:Targt=AzureBlob"));
        Assert.Contains("unknown configuration key 'Publishing:Targt' (did you mean 'Publishing:Target'?)", site.Error, StringComparison.Ordinal);
        Assert.Equal(2, await site.RunAsync("verify", "--pipeline", "acteurs"));
    }

    /// <summary>
    /// The built Worker (its GC heap capped at 200 MiB) verifies a version whose CSV, and its latest/
    /// copy, are 400 MiB each: files are streamed through sha256, so the check passes; a verify that
    /// read a file whole would stop with "out of memory".
    /// </summary>
    [Fact]
    public async Task Files_larger_than_the_heap_limit_are_hashed_as_streams()
    {
        using var temp = new TempFolder();
        var site = temp.Combine("site");
        const long Size = 400L << 20;
        var version = Path.Combine(site, "datasets", "big", Version);
        var latest = Path.Combine(site, "datasets", "big", "latest");
        Directory.CreateDirectory(version);
        Directory.CreateDirectory(latest);
        foreach (var folder in new[] { version, latest })
        {
            using var file = new FileStream(Path.Combine(folder, "big.csv"), FileMode.CreateNew);
            file.SetLength(Size); // sparse: no disk space, read as zeros
        }

        var sha256 = FileHash.Sha256(Path.Combine(version, "big.csv"));
        File.WriteAllText(Path.Combine(version, "index.html"), "<!doctype html>");
        var dataPackage = $$"""{"name": "big", "version": "{{Version}}", "resources": [{"name": "big", "path": "big.csv", "bytes": {{Size}}, "hash": "sha256:{{sha256}}"}]}""";
        File.WriteAllText(Path.Combine(version, "datapackage.json"), dataPackage);
        File.Copy(Path.Combine(version, "datapackage.json"), Path.Combine(latest, "datapackage.json"));
        var dataPackageSha256 = FileHash.Sha256(Path.Combine(version, "datapackage.json"));
        File.WriteAllText(Path.Combine(site, "releases.json"), $$"""
            {"formatVersion": 1, "datasets": [{"id": "big", "title": "Big", "versions": [{"version": "{{Version}}", "files": [
              {"name": "big.csv", "path": "datasets/big/{{Version}}/big.csv", "mediaType": "text/csv", "bytes": {{Size}}, "sha256": "{{sha256}}"},
              {"name": "datapackage.json", "path": "datasets/big/{{Version}}/datapackage.json", "mediaType": "application/json", "bytes": {{dataPackage.Length}}, "sha256": "{{dataPackageSha256}}"}]}]}]}
            """);

        // The pages and the catalogue a harvester reads, at their least.
        File.WriteAllText(Path.Combine(site, "index.html"), "<!doctype html>");
        File.WriteAllText(Path.Combine(site, "404.html"), "<!doctype html>");
        File.WriteAllText(Path.Combine(site, "datasets", "big", "index.html"), "<!doctype html>");
        File.WriteAllText(Path.Combine(site, "catalog.jsonld"), $$$$"""
            {"foaf:homepage": {"@id": "https://example.org/"}, "dcat:dataset": [{"@id": "https://example.org/datasets/big/", "dcat:version": "{{{{Version}}}}", "dcat:distribution": [
              {"dcat:downloadURL": {"@id": "https://example.org/datasets/big/latest/big.csv"}, "dcat:byteSize": {"@value": "{{{{Size}}}}"}, "spdx:checksum": {"spdx:checksumValue": {"@value": "{{{{sha256}}}}"}}}]}]}
            """);
        File.WriteAllText(Path.Combine(site, "sitemap.xml"), """<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://example.org/datasets/big/</loc></url></urlset>""");
        File.WriteAllText(Path.Combine(site, "feed.atom"), """<feed xmlns="http://www.w3.org/2005/Atom"><link href="https://example.org/"/></feed>""");

        var (code, stdout, stderr) = await EndToEnd.FailureTests.RunBuiltWorkerAsync(temp, ["verify", "--output", site], []);

        Assert.True(code == 0, stdout + stderr);
        Assert.EndsWith($"1 dataset(s), 1 version(s), 4 file(s) and {(2 * (Size + dataPackage.Length)).ToString(System.Globalization.CultureInfo.InvariantCulture)} bytes checked; 0 error(s), 0 warning(s): sound.", stdout.Trim(), StringComparison.Ordinal);
    }
}
