using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Publishing;

/// <summary>An error is damage (a listed file missing, changed or added); a warning needs no repair to keep the catalogue sound.</summary>
public enum FindingSeverity
{
    Error,
    Warning,
}

/// <summary>One problem of a published tree: the path and what is wrong with it.</summary>
public sealed record VerifyFinding(FindingSeverity Severity, string Path, string Problem)
{
    public override string ToString() => $"{(Severity == FindingSeverity.Error ? "error" : "warning")}: {Path}: {Problem}";
}

/// <summary>What <see cref="TreeVerifier"/> found, and how much it read.</summary>
/// <param name="Interrupted">Set when a publisher held or took the lock: the findings, if any, may be its work in progress.</param>
public sealed record VerifyReport(IReadOnlyList<VerifyFinding> Findings, int Datasets, int Versions, int Files, long Bytes, string? Interrupted)
{
    public int Errors => Findings.Count(f => f.Severity == FindingSeverity.Error);

    public int Warnings => Findings.Count(f => f.Severity == FindingSeverity.Warning);

    /// <summary>No error, and no publisher at work while it was read: warnings allowed.</summary>
    public bool Sound => Errors == 0 && Interrupted is null;
}

/// <summary>
/// Checks a published tree after the fact, reading only (never a write, never a removal, never the
/// publish lock taken): <c>releases.json</c> and its versions; each listed version folder, its
/// <c>datapackage.json</c> and every file that it or <c>releases.json</c> declares, by size and
/// sha256 (streamed: memory does not grow with a file's size); each dataset's <c>latest/</c>,
/// which must hold the newest version's files, byte for byte, and nothing else; files of a version
/// folder that nothing lists; version folders that <c>releases.json</c> does not list (orphans of
/// an interrupted publish: warnings, with what to delete); then what harvesters and search engines
/// read, which no manifest hashes: <c>catalog.jsonld</c> against <c>releases.json</c>, the links of
/// <c>sitemap.xml</c> and <c>feed.atom</c>, the home and dataset pages (TreeVerifier.Site.cs); and
/// what the pages say of the data: their key figures (TreeVerifier.Figures.cs), their charts'
/// bars and counts by département (TreeVerifier.Counts.cs), recomputed from each version's CSV in
/// one more reading of it, and the changes a version page states, against its changelog.json
/// (TreeVerifier.Counts.cs).
/// <para>
/// It does not take the publish lock: taking it needs the right to write (a lease on a blob), which a
/// read-only credential must not need, and it would refuse a publisher for as long as a check of
/// gigabytes lasts. It reads the lock's state instead, without taking it: held when it starts, it
/// checks nothing and says a publish is in progress; taken meanwhile (held at the end, the lock
/// blob's ETag changed, or <c>releases.json</c> changed), it says its findings may be that
/// publish's work in progress. Either way the report is not sound: run it again.
/// </para>
/// </summary>
public sealed partial class TreeVerifier(IPublishTarget target)
{
    private const string Datasets = "datasets/";
    private const string Page = "index.html";

    private readonly List<VerifyFinding> findings = [];
    private int files;
    private long bytes;

    [GeneratedRegex(@"^(?<day>[0-9]{4}-[0-9]{2}-[0-9]{2})(?:\.(?<n>[2-9]|[1-9][0-9]{1,8}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    [GeneratedRegex("^sha256:(?<hex>[0-9a-f]{64})$", RegexOptions.CultureInvariant)]
    private static partial Regex HashPattern();

    [GeneratedRegex("^[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Pattern();

    public async Task<VerifyReport> VerifyAsync(CancellationToken cancellationToken)
    {
        var before = await target.LockStateAsync(cancellationToken);
        if (before.Held)
        {
            return new VerifyReport([], 0, 0, 0, 0,
                $"{target.Description} is being published (its {PublishLock.FileName} is held{(before.Holder is { } h ? $" by {h}" : "")}): nothing was checked, since a publish under way is not damage. Run verify again when it has finished.");
        }

        var (manifestHash, manifest) = await ReadManifestAsync(cancellationToken);
        var datasets = 0;
        var versions = 0;
        if (manifest is not null)
        {
            var present = (await target.ListAsync(Datasets, cancellationToken)).ToHashSet(StringComparer.Ordinal);
            var listedFolders = new HashSet<string>(StringComparer.Ordinal);
            var seenIds = new HashSet<string>(StringComparer.Ordinal);
            var newest = new Dictionary<string, ReleaseVersion?>(StringComparer.Ordinal); // null: its newest version is ill-formed
            // A manifest edited by hand may hold null where a list, an entry or a name goes: each is an error, never a crash.
            for (var i = 0; i < manifest.Datasets.Count; i++)
            {
                var dataset = manifest.Datasets[i];
                if (dataset is null)
                {
                    Error(ReleaseManifest.FileName, $"dataset n° {(i + 1).ToString(CultureInfo.InvariantCulture)} is null.");
                    continue;
                }

                if (!IsSegment(dataset.Id) || !seenIds.Add(dataset.Id))
                {
                    Error(ReleaseManifest.FileName, IsSegment(dataset.Id)
                        ? $"dataset '{dataset.Id}' is listed twice."
                        : $"a dataset id must be one folder name (no '/', not '.' or '..', not empty), not '{dataset.Id}'.");
                    continue;
                }

                if (dataset.Versions is null)
                {
                    Error(ReleaseManifest.FileName, $"dataset '{dataset.Id}' has no list of versions.");
                    continue;
                }

                datasets++;
                var valid = CheckVersions(dataset);
                var checkedVersions = new HashSet<string>(StringComparer.Ordinal);
                foreach (var version in dataset.Versions.Where(v => valid.Contains(v.Version) && checkedVersions.Add(v.Version))) // a version listed twice: checked once
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    listedFolders.Add($"{Datasets}{dataset.Id}/{version.Version}/");
                    await CheckVersionAsync(dataset.Id, version, present, cancellationToken);
                    versions++;
                }

                // Listed but ill-formed: their folders are not orphans, they were named in the error above.
                foreach (var version in dataset.Versions.Where(v => !valid.Contains(v.Version)))
                {
                    listedFolders.Add($"{Datasets}{dataset.Id}/{version.Version}/");
                }

                newest[dataset.Id] = dataset.Latest is { } latest && valid.Contains(latest.Version) ? latest : null;
                if (newest[dataset.Id] is { } checkedLatest)
                {
                    await CheckLatestAsync(dataset.Id, checkedLatest, present, cancellationToken);
                }
            }

            ReportOrphans(present, listedFolders, seenIds);
            PlanFigures(newest);
            await CheckSiteAsync(newest, listedFolders, present, cancellationToken);
            await CheckRemainingFiguresAsync(cancellationToken);
        }

        var after = await target.LockStateAsync(cancellationToken);
        var manifestHashAfter = await HashAsync(ReleaseManifest.FileName, cancellationToken, count: false);
        string? interrupted = null;
        if (after.Held || after.Generation != before.Generation || manifestHashAfter?.Sha256 != manifestHash)
        {
            interrupted = $"a publish ran while verify read {target.Description} ({(after.Held ? $"its {PublishLock.FileName} is held now{(after.Holder is { } h ? $" by {h}" : "")}" : after.Generation != before.Generation ? $"its {PublishLock.FileName} was taken meanwhile" : $"{ReleaseManifest.FileName} changed meanwhile")}): "
                + "the findings above may be its work in progress, not damage. Run verify again when it has finished.";
        }

        return new VerifyReport(findings, datasets, versions, files, bytes, interrupted);
    }

    private async Task<(string? Sha256, ReleaseManifest? Manifest)> ReadManifestAsync(CancellationToken cancellationToken)
    {
        await using var stream = await target.ReadCurrentAsync(ReleaseManifest.FileName, cancellationToken);
        if (stream is null)
        {
            Error(ReleaseManifest.FileName, $"missing: {target.Description} holds no published catalogue (nothing was published there yet, or the folder or container named is not the published one); nothing else was checked.");
            return (null, null);
        }

        // A manifest, not a data file: read whole, as every publish does.
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(copy.GetBuffer().AsSpan(0, (int)copy.Length)));
        copy.Position = 0;
        ReleaseManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ReleaseManifest>(copy, ReleaseManifest.Json);
        }
        catch (JsonException e)
        {
            Error(ReleaseManifest.FileName, $"not a valid release manifest (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): the next publish refuses to run over it; nothing else was checked.");
            return (sha256, null);
        }

        if (manifest is null || manifest.FormatVersion != 1 || manifest.Datasets is null)
        {
            Error(ReleaseManifest.FileName, manifest is null
                ? "holds null instead of a release manifest; nothing else was checked."
                : manifest.FormatVersion != 1
                    ? $"formatVersion {manifest.FormatVersion.ToString(CultureInfo.InvariantCulture)} is not one this verifier reads (1); nothing else was checked."
                    : "has no list of datasets; nothing else was checked.");
            return (sha256, null);
        }

        return (sha256, manifest);
    }

    /// <summary>The versions of <paramref name="dataset"/> that are well formed, once each, in ascending order (the others are reported).</summary>
    private HashSet<string> CheckVersions(DatasetReleases dataset)
    {
        var valid = new HashSet<string>(StringComparer.Ordinal);
        (DateOnly Day, int N)? previous = null;
        string? previousName = null;
        if (dataset.Versions.Count == 0)
        {
            Error(ReleaseManifest.FileName, $"dataset '{dataset.Id}' lists no version.");
        }

        for (var i = 0; i < dataset.Versions.Count; i++)
        {
            if (dataset.Versions[i] is null)
            {
                Error(ReleaseManifest.FileName, $"dataset '{dataset.Id}': version n° {(i + 1).ToString(CultureInfo.InvariantCulture)} is null.");
            }
        }

        dataset.Versions.RemoveAll(v => v is null);
        foreach (var version in dataset.Versions)
        {
            var match = VersionPattern().Match(version.Version ?? "");
            if (!match.Success || !DateOnly.TryParseExact(match.Groups["day"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                Error(ReleaseManifest.FileName, $"dataset '{dataset.Id}': '{version.Version}' is not a version (a date, 2026-11-25, then 2026-11-25.2 for a second release that day); its files were not checked.");
                continue;
            }

            var key = (day, match.Groups["n"].Success ? int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture) : 1);
            if (!valid.Add(match.Value))
            {
                Error(ReleaseManifest.FileName, $"dataset '{dataset.Id}': version {version.Version} is listed twice.");
                continue;
            }

            if (previous is { } p && key.CompareTo(p) <= 0)
            {
                Error(ReleaseManifest.FileName, $"dataset '{dataset.Id}': version {version.Version} is listed after {previousName}: versions are listed oldest first, and the last one is what latest/ and the pages serve.");
            }

            previous = key;
            previousName = version.Version;
        }

        return valid;
    }

    /// <summary>A declared size and sha256 of a file, and who declares them.</summary>
    private sealed record Declaration(string By, long Bytes, string Sha256);

    private async Task CheckVersionAsync(string id, ReleaseVersion version, HashSet<string> present, CancellationToken cancellationToken)
    {
        var folder = $"{Datasets}{id}/{version.Version}/";
        var declared = new SortedDictionary<string, List<Declaration>>(StringComparer.Ordinal);
        void Declare(string path, Declaration declaration)
        {
            if (!declared.TryGetValue(path, out var list))
            {
                declared[path] = list = [];
            }

            list.Add(declaration);
        }

        if (version.Files is null)
        {
            Error(ReleaseManifest.FileName, $"dataset '{id}': version {version.Version} has no list of files.");
        }

        var n = 0;
        foreach (var file in version.Files ?? [])
        {
            n++;
            if (file is null)
            {
                Error(ReleaseManifest.FileName, $"dataset '{id}': version {version.Version}: file n° {n.ToString(CultureInfo.InvariantCulture)} is null.");
                continue;
            }

            if (!IsRelativePath(file.Name) || file.Path != folder + file.Name)
            {
                Error(ReleaseManifest.FileName, $"{folder}: lists a file '{file.Path}' named '{file.Name}', which is not a path inside its version folder; it was not checked.");
                continue;
            }

            if (file.Sha256 is null || !Sha256Pattern().IsMatch(file.Sha256) || file.Bytes < 0)
            {
                Error(ReleaseManifest.FileName, $"{file.Path}: its sha256 ('{file.Sha256}') or size ({file.Bytes.ToString(CultureInfo.InvariantCulture)}) is not well formed; it was checked for presence only.");
                Declare(file.Path, new Declaration(ReleaseManifest.FileName, -1, ""));
                continue;
            }

            Declare(file.Path, new Declaration(ReleaseManifest.FileName, file.Bytes, file.Sha256));
        }

        var dataPackage = folder + Writers.DataPackage.FileName;
        Site.PageDeclarations? pageDeclarations = null;
        if (!present.Contains(dataPackage))
        {
            Error(dataPackage, $"missing: version {version.Version} of '{id}' has no {Writers.DataPackage.FileName}, so its resources could not be checked against it.");
            declared.Remove(dataPackage); // said once
        }
        else
        {
            pageDeclarations = await ReadDataPackageAsync(id, version.Version, folder, dataPackage, Declare, cancellationToken);
        }

        var sound = new HashSet<string>(StringComparer.Ordinal); // found with every size and sha256 declared for it

        foreach (var (path, declarations) in declared)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var by = string.Join(" and ", declarations.Select(d => d.By).Distinct());
            if (!present.Contains(path))
            {
                var known = declarations.FirstOrDefault(d => d.Bytes >= 0);
                Error(path, $"missing ({by} list{(declarations.Select(d => d.By).Distinct().Count() > 1 ? "" : "s")} it{(known is null ? "" : $": {known.Bytes.ToString(CultureInfo.InvariantCulture)} bytes, sha256 {known.Sha256}")}).");
                continue;
            }

            var found = await HashAsync(path, cancellationToken);
            if (found is null)
            {
                Error(path, $"missing when read, though listed a moment before ({by} list it).");
                continue;
            }

            if (declarations.Any(d => d.Bytes >= 0) && declarations.Where(d => d.Bytes >= 0).All(d => d.Bytes == found.Value.Bytes && d.Sha256 == found.Value.Sha256))
            {
                sound.Add(path);
            }

            foreach (var expected in declarations.Where(d => d.Bytes >= 0).GroupBy(d => (d.Bytes, d.Sha256)))
            {
                var who = string.Join(" and ", expected.Select(d => d.By));
                if (expected.Key.Bytes != found.Value.Bytes)
                {
                    Error(path, $"size differs: {who} declare{(expected.Count() > 1 ? "" : "s")} {expected.Key.Bytes.ToString(CultureInfo.InvariantCulture)} bytes, found {found.Value.Bytes.ToString(CultureInfo.InvariantCulture)}; sha256 expected {expected.Key.Sha256}, found {found.Value.Sha256}.");
                }
                else if (expected.Key.Sha256 != found.Value.Sha256)
                {
                    Error(path, $"sha256 differs: {who} declare{(expected.Count() > 1 ? "" : "s")} {expected.Key.Sha256}, found {found.Value.Sha256} (same size, {found.Value.Bytes.ToString(CultureInfo.InvariantCulture)} bytes).");
                }
            }
        }

        var page = folder + Page;
        if (!present.Contains(page))
        {
            Error(page, $"missing: version {version.Version}'s page, its permanent link for citations. The next publish renders it again from the version's published files.");
        }

        // The key figures and the charts' counts, recomputed from the CSV once its bytes are known
        // to be the published ones, by the definitions of a datapackage.json that is not damaged
        // either (one that releases.json does not hash, as older trees may have, is taken as it
        // is); a damaged one is reported above, and its counts are not checked. A page that counts
        // nothing (no key figure, no column a chart counts) does not have it read again. The changes its
        // page states, from its changelog.json once its bytes are the published ones
        // (TreeVerifier.Figures.cs, TreeVerifier.Counts.cs).
        if (pageDeclarations is { CountsAny: true } pages && Site.DatasetPageBuilder.FiguresCsv(version) is { } csv
            && sound.Contains(folder + csv.Name) && (!declared.ContainsKey(dataPackage) || sound.Contains(dataPackage)))
        {
            await RecomputeFiguresAsync(id, version.Version, folder + csv.Name, pages, cancellationToken);
        }

        if (sound.Contains(folder + Changelog.FileName))
        {
            await ReadChangelogAsync(id, version.Version, folder + Changelog.FileName, cancellationToken);
        }

        foreach (var path in present.Where(p => p.StartsWith(folder, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            if (!declared.ContainsKey(path) && path != page && path != dataPackage)
            {
                Error(path, $"unlisted: neither {ReleaseManifest.FileName} nor the version's {Writers.DataPackage.FileName} lists it, so no run published it in this immutable folder (a file added by hand, or the partial copy of a stopped run); check what it is and delete it.");
            }
        }
    }

    /// <summary>Declares the resources of a version's datapackage.json; returns the key figures, charts and columns it declares for its pages (null when they could not be read).</summary>
    private async Task<Site.PageDeclarations?> ReadDataPackageAsync(string id, string version, string folder, string path, Action<string, Declaration> declare, CancellationToken cancellationToken)
    {
        await using var stream = await target.ReadCurrentAsync(path, cancellationToken);
        if (stream is null)
        {
            Error(path, "missing when read, though listed a moment before.");
            return null;
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            Error(path, $"not valid JSON (line {e.LineNumber + 1}): its resources could not be checked against it.");
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Array)
            {
                Error(path, "has no list of resources: they could not be checked against it.");
                return null;
            }

            if (root.TryGetProperty("version", out var said) && said.ValueKind == JsonValueKind.String && said.GetString() != version)
            {
                Error(path, $"says version '{said.GetString()}', in the folder of version {version}.");
            }

            if (root.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() != id)
            {
                Error(path, $"says dataset '{name.GetString()}', in a folder of '{id}'.");
            }

            var n = 0;
            foreach (var resource in resources.EnumerateArray())
            {
                n++;
                var label = $"resource n° {n.ToString(CultureInfo.InvariantCulture)}";
                if (resource.ValueKind != JsonValueKind.Object
                    || !resource.TryGetProperty("path", out var pathElement) || pathElement.ValueKind != JsonValueKind.String
                    || pathElement.GetString() is not { } relative || !IsRelativePath(relative))
                {
                    Error(path, $"{label} has no path inside its version folder: it was not checked.");
                    continue;
                }

                var hash = resource.TryGetProperty("hash", out var hashElement) && hashElement.ValueKind == JsonValueKind.String ? HashPattern().Match(hashElement.GetString()!) : Match.Empty;
                var size = resource.TryGetProperty("bytes", out var bytesElement) && bytesElement.ValueKind == JsonValueKind.Number && bytesElement.TryGetInt64(out var b) && b >= 0 ? b : -1;
                if (!hash.Success || size < 0)
                {
                    Error(path, $"{label} ({relative}) declares no {(hash.Success ? "bytes" : "hash (\"sha256:\" and 64 hexadecimal digits)")}: it was checked for presence only.");
                    declare(folder + relative, new Declaration(Writers.DataPackage.FileName, -1, ""));
                    continue;
                }

                declare(folder + relative, new Declaration(Writers.DataPackage.FileName, size, hash.Groups["hex"].Value));
            }

            return PageDeclarations(path, root);
        }
    }

    /// <summary><c>latest/</c> holds the newest version's files (those releases.json lists for it, by name), byte for byte, and nothing else.</summary>
    private async Task CheckLatestAsync(string id, ReleaseVersion latest, HashSet<string> present, CancellationToken cancellationToken)
    {
        var folder = $"{Datasets}{id}/latest/";
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in (latest.Files ?? []).Where(f => f is not null && IsRelativePath(f.Name) && f.Sha256 is not null).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = folder + file.Name;
            expected.Add(path);
            if (!present.Contains(path))
            {
                Error(path, $"missing: latest/ must hold a copy of {file.Path} (version {latest.Version}, the newest): its stable URL is broken. Copy that file there (a publish rewrites latest/ only when it makes a new version of this dataset).");
                continue;
            }

            var found = await HashAsync(path, cancellationToken);
            if (found is null)
            {
                Error(path, "missing when read, though listed a moment before.");
            }
            else if (found.Value.Bytes != file.Bytes || found.Value.Sha256 != file.Sha256)
            {
                Error(path, $"differs from {file.Path} (version {latest.Version}, the newest): expected {file.Bytes.ToString(CultureInfo.InvariantCulture)} bytes, sha256 {file.Sha256}; found {found.Value.Bytes.ToString(CultureInfo.InvariantCulture)} bytes, sha256 {found.Value.Sha256}. Copy {file.Path} over it (a publish rewrites latest/ only when it makes a new version of this dataset).");
            }
        }

        foreach (var path in present.Where(p => p.StartsWith(folder, StringComparison.Ordinal) && !expected.Contains(p)).Order(StringComparer.Ordinal))
        {
            Error(path, $"not a file of version {latest.Version}, the newest: latest/ must hold its files and nothing else (a glob over latest/ reads it). The next publish removes it; or delete it.");
        }
    }

    /// <summary>Version folders that releases.json does not list: never released, no release refers to them.</summary>
    private void ReportOrphans(HashSet<string> present, HashSet<string> listedFolders, HashSet<string> listedIds)
    {
        var orphans = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var unlistedDatasets = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var path in present)
        {
            var parts = path.Split('/');
            if (parts.Length < 3)
            {
                continue;
            }

            if (parts.Length >= 4 && parts[2] != "latest")
            {
                var folder = $"{Datasets}{parts[1]}/{parts[2]}/";
                if (!listedFolders.Contains(folder))
                {
                    orphans[folder] = orphans.GetValueOrDefault(folder) + 1;
                }
            }
            else if (!listedIds.Contains(parts[1]))
            {
                var folder = $"{Datasets}{parts[1]}/";
                unlistedDatasets[folder] = unlistedDatasets.GetValueOrDefault(folder) + 1;
            }
        }

        foreach (var (folder, count) in orphans)
        {
            Warning(folder, $"version folder that {ReleaseManifest.FileName} does not list ({count.ToString(CultureInfo.InvariantCulture)} file(s)): left by a publish that stopped before listing it, never released, and no release refers to it. "
                + $"To tidy up, delete every file under {folder}; nothing published needs it.");
        }

        foreach (var (folder, count) in unlistedDatasets)
        {
            Warning(folder, $"dataset that {ReleaseManifest.FileName} does not list ({count.ToString(CultureInfo.InvariantCulture)} file(s) outside version folders: its page, latest/): left by a first publish that stopped before listing it. "
                + $"To tidy up, delete every file under {folder} (a later publish of that dataset writes them again).");
        }
    }

    /// <summary>The file's size and sha256, streamed (64 KiB at a time), or null when it does not exist.</summary>
    private async Task<(long Bytes, string Sha256)?> HashAsync(string path, CancellationToken cancellationToken, bool count = true)
    {
        await using var stream = await target.ReadCurrentAsync(path, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        long length = 0;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, 1 << 16), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                length += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (count)
        {
            files++;
            bytes += length;
        }

        return (length, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private void Error(string path, string problem) => findings.Add(new VerifyFinding(FindingSeverity.Error, path, problem));

    private void Warning(string path, string problem) => findings.Add(new VerifyFinding(FindingSeverity.Warning, path, problem));

    private static bool IsSegment([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? text) =>
        text is not null && text.Length > 0 && text is not ("." or "..") && !text.Contains('/', StringComparison.Ordinal) && !text.Contains('\\', StringComparison.Ordinal);

    /// <summary>A relative path of one or more folder names, none empty, '.' or '..' (never leaving its folder).</summary>
    private static bool IsRelativePath([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? text) => text is not null && text.Length > 0 && text.Split('/').All(IsSegment);
}
