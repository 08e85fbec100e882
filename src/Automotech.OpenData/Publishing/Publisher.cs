namespace Automotech.OpenData.Publishing;

/// <summary>What a publish did.</summary>
public sealed record PublishResult(int Written, int Unchanged);

/// <summary>
/// Copies a staged tree to the target, changed files only, in an order that keeps the live
/// catalogue consistent if the run stops half-way: version files, then <c>latest/</c>, then
/// pages, then the machine-readable manifests, and the home page last. A file of a version that
/// <c>releases.json</c> already lists is never rewritten: published versions are immutable.
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
    public async Task<PublishResult> PublishAsync(StagedTree tree, IReadOnlySet<string> immutableVersionFolders, CancellationToken cancellationToken)
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

            var folder = file.Path[..(file.Path.LastIndexOf('/') + 1)];
            if (immutableVersionFolders.Contains(folder))
            {
                throw new PipelineException(
                    $"Refusing to rewrite {file.Path}: version folder {folder} is already published, and published versions are immutable.");
            }

            await target.WriteAsync(file, cancellationToken);
            written++;
            progress?.FilePublished(file.Path, written: true);
        }

        return new PublishResult(written, unchanged);
    }
}
