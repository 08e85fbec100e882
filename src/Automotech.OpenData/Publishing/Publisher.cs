namespace Automotech.OpenData.Publishing;

/// <summary>What a publish did: files written, files already up to date, stale files removed.</summary>
public sealed record PublishResult(int Written, int Unchanged, int Deleted = 0);

/// <summary>
/// Copies a staged tree to the target, changed files only, in an order that keeps the live
/// catalogue consistent if the run stops half-way: version files, then <c>latest/</c>, then
/// pages, then the machine-readable manifests, and the home page last. A file of a version that
/// <c>releases.json</c> already lists is never rewritten: published versions are immutable.
/// A dataset's <c>latest/</c> folder then loses every file its latest version does not have, once
/// everything else is written: a partition or a format that is no longer published does not
/// linger under the stable URLs, where a glob would still read it. The expected files come from
/// <c>releases.json</c>, not from what this run staged, so a run that stopped before the clean-up
/// is completed by the next one even when the data have not changed since.
/// </summary>
public sealed class Publisher(IPublishTarget target, Pipelines.IRunProgress? progress = null)
{
    public static int Stage(string path)
    {
        var parts = path.Split('/');
        if (path == "index.html")
        {
            return 5;
        }

        if (parts.Length == 1 && path is "releases.json" or "catalog.jsonld" or "feed.atom")
        {
            return 4;
        }

        if (parts.Length >= 4 && parts[0] == "datasets")
        {
            return parts[2] == "latest" ? 1 : 0;
        }

        return 3;
    }

    /// <param name="immutableVersionFolders">Folders ("datasets/acteurs/2026-11-25/") of versions already published.</param>
    /// <param name="latestFiles">For each dataset's latest folder ("datasets/acteurs/latest/"), the paths it must hold and nothing else.</param>
    /// <param name="restoredPages">Pages of published versions that the target was found not to hold: written into their immutable folders, the one exception.</param>
    public async Task<PublishResult> PublishAsync(StagedTree tree, IReadOnlySet<string> immutableVersionFolders, CancellationToken cancellationToken, IReadOnlyDictionary<string, IReadOnlySet<string>>? latestFiles = null, IReadOnlySet<string>? restoredPages = null)
    {
        var files = tree.Files().OrderBy(f => Stage(f.Path)).ThenBy(f => f.Path, StringComparer.Ordinal).ToList();

        // A single-use tree's file may be moved to the target by its last path in this order
        // (a latest/ copy after its version's file): no byte is copied twice.
        if (tree.SingleUse)
        {
            var lastUse = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < files.Count; i++)
            {
                lastUse[files[i].LocalPath] = i;
            }

            files = [.. files.Select((f, i) => lastUse[f.LocalPath] == i ? f with { MayMove = true } : f)];
        }
        var written = 0;
        var unchanged = 0;
        var unlisted = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var checkedManifest = false;
        progress?.PublishStarted(files.Count);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await target.HoldsAsync(file, cancellationToken))
            {
                unchanged++;
                progress?.FilePublished(file.Path, written: false);
                continue;
            }

            if (VersionFolder(file.Path) is { } folder && immutableVersionFolders.Contains(folder) && restoredPages?.Contains(file.Path) != true)
            {
                throw new PipelineException(
                    $"Refusing to rewrite {file.Path}: version folder {folder} is already published, and published versions are immutable.");
            }

            // A version folder that releases.json does not list yet may hold files of a run that
            // stopped while uploading: the same content is kept (held, above) and the run completes
            // it; a folder with other content was numbered past before staging (PipelineRunner), so
            // other content found here appeared since: another publisher at the same time. It is
            // never overwritten.
            if (VersionFolder(file.Path) is { } newFolder)
            {
                if (!unlisted.TryGetValue(newFolder, out var leftover))
                {
                    unlisted[newFolder] = leftover = await target.ListAsync(newFolder, cancellationToken);
                }

                if (leftover.Contains(file.Path))
                {
                    throw new PipelineException(
                        $"{file.Path} already holds other content in {target.Description}, in {newFolder}, which releases.json does not list: another publisher is writing that version at the same time. "
                        + $"Nothing was overwritten; the catalogue is unchanged. The next run numbers past {newFolder} if releases.json still does not list it.");
                }
            }

            // Before the first file that readers see (latest/, pages, manifests): releases.json must
            // still be as this run read it. A publisher that finished while this run built would
            // otherwise find its latest/ and pages replaced by this run's, which then fails on
            // releases.json and leaves latest/ disagreeing with it.
            if (!checkedManifest && Stage(file.Path) != 0)
            {
                checkedManifest = true;
                if (!await target.StillAsReadAsync("releases.json", cancellationToken))
                {
                    throw new PipelineException(
                        $"releases.json changed in {target.Description} since this run read it: another publisher ran at the same time. "
                        + "This run stops before latest/, the pages and the manifests, which stay as the other left them; the version folders it wrote are not listed, and the next run numbers past them.");
                }
            }

            await target.WriteAsync(file, cancellationToken);
            written++;
            progress?.FilePublished(file.Path, written: true);
        }

        // Last, once nothing published refers to them any more: files of a latest folder that its
        // version does not list. A run stopped before this point leaves them to the next run.
        var deleted = 0;
        foreach (var (folder, expected) in latestFiles ?? new Dictionary<string, IReadOnlySet<string>>())
        {
            if (!folder.EndsWith('/') || Stage(folder + "x") != 1 || folder.Count(c => c == '/') != 3)
            {
                throw new ArgumentException($"Only a dataset's latest/ folder is cleaned, not '{folder}'.", nameof(latestFiles));
            }

            foreach (var path in await target.ListAsync(folder, cancellationToken))
            {
                if (!expected.Contains(path))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await target.DeleteAsync(path, cancellationToken);
                    deleted++;
                }
            }
        }

        return new PublishResult(written, unchanged, deleted);
    }

    /// <summary>"datasets/{id}/{version}/" for any file at any depth of a version folder, else null.</summary>
    private static string? VersionFolder(string path)
    {
        var parts = path.Split('/');
        return parts.Length >= 4 && parts[0] == "datasets" && parts[2] != "latest" ? $"datasets/{parts[1]}/{parts[2]}/" : null;
    }
}
