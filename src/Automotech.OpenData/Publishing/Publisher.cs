namespace Automotech.OpenData.Publishing;

/// <summary>What a publish did: files written, files already up to date, stale files removed.</summary>
public sealed record PublishResult(int Written, int Unchanged, int Deleted = 0);

/// <summary>
/// Copies a staged tree to the target, changed files only, in an order that keeps the live
/// catalogue consistent if the run stops half-way: version files, then <c>latest/</c>, then
/// pages, then the machine-readable manifests, and the home page last. A file of a version that
/// <c>releases.json</c> already lists is never rewritten: published versions are immutable.
/// Folders that must hold exactly the staged files (a dataset's <c>latest/</c>) lose the files
/// the staged tree no longer has, once everything else is written: a partition or a format that
/// is no longer published does not linger under the stable URLs, where a glob would still read it.
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
    /// <param name="mirroredFolders">Folders ("datasets/acteurs/latest/") whose files on the target must be the staged tree's.</param>
    public async Task<PublishResult> PublishAsync(StagedTree tree, IReadOnlySet<string> immutableVersionFolders, CancellationToken cancellationToken, IReadOnlyCollection<string>? mirroredFolders = null)
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

            await target.WriteAsync(file, cancellationToken);
            written++;
            progress?.FilePublished(file.Path, written: true);
        }

        // Last, once nothing published refers to them any more: files of a mirrored folder that
        // the tree does not hold. A run stopped before this point leaves them to the next run.
        var deleted = 0;
        var staged = files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal); // the tree's files may have been moved out of it
        foreach (var folder in mirroredFolders ?? [])
        {
            if (!folder.EndsWith('/') || Stage(folder + "x") != 1)
            {
                throw new ArgumentException($"Only a dataset's latest/ folder is mirrored, not '{folder}'.", nameof(mirroredFolders));
            }

            foreach (var path in await target.ListAsync(folder, cancellationToken))
            {
                if (!staged.Contains(path))
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
