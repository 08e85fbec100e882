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
    public async Task<PublishResult> PublishAsync(StagedTree tree, IReadOnlySet<string> immutableVersionFolders, CancellationToken cancellationToken, IReadOnlyDictionary<string, IReadOnlySet<string>>? latestFiles = null)
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

            if (VersionFolder(file.Path) is { } folder && immutableVersionFolders.Contains(folder))
            {
                throw new PipelineException(
                    $"Refusing to rewrite {file.Path}: version folder {folder} is already published, and published versions are immutable.");
            }

            // A version folder that releases.json does not list yet may hold files of a run that
            // stopped while uploading: the same content is kept (held, above) and the run completes
            // it; other content (the data changed since, the same day) is never overwritten.
            if (VersionFolder(file.Path) is { } newFolder)
            {
                if (!unlisted.TryGetValue(newFolder, out var leftover))
                {
                    unlisted[newFolder] = leftover = await target.ListAsync(newFolder, cancellationToken);
                }

                if (leftover.Contains(file.Path))
                {
                    throw new PipelineException(
                        $"{file.Path} already holds other content in {target.Description}, in {newFolder}, which releases.json does not list: another publisher ran at the same time, or a run stopped while uploading and the data have changed since. "
                        + $"Nothing was overwritten; the catalogue is unchanged. If no other publisher is running, delete {newFolder} from the target (no release refers to it) and publish again, or publish tomorrow (a new date, a new folder).");
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
