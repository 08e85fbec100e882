using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Publishing;

/// <summary>
/// Publishes into a local folder (<c>out/site</c> by default), viewable in any browser. Each
/// file is written beside its destination and renamed over it, so a reader never sees half a file.
/// A file read at the start of the run outside version folders (<c>releases.json</c>) is written
/// back only if it still holds what was read, as the blob target's ETag condition does: of two
/// publishers of one folder, the second to write it fails instead of dropping the first's release.
/// </summary>
public sealed class LocalFolderTarget : IPublishTarget
{
    // sha256 of each such file as read, or null when it was absent.
    private readonly Dictionary<string, string?> readHashes = new(StringComparer.Ordinal);

    public LocalFolderTarget(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }

    public string Description => $"folder {Root}";

    public Task<Stream?> TryOpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var local = LocalPath(path);
        if (Publisher.Stage(path) != 0)
        {
            readHashes[path] = File.Exists(local) ? FileHash.Sha256(local) : null;
        }

        return Task.FromResult<Stream?>(File.Exists(local) ? File.OpenRead(local) : null);
    }

    public Task<bool> HoldsAsync(StagedFile file, CancellationToken cancellationToken)
    {
        var local = LocalPath(file.Path);
        var holds = File.Exists(local)
            && new FileInfo(local).Length == file.Bytes
            && FileHash.Sha256(local) == file.Sha256;
        return Task.FromResult(holds);
    }

    public Task WriteAsync(StagedFile file, CancellationToken cancellationToken)
    {
        var local = LocalPath(file.Path);
        if (Publisher.Stage(file.Path) == 0 && File.Exists(local))
        {
            throw new PipelineException($"{file.Path} already exists with other content in {Description}: version files are created, never replaced.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        var temporary = local + ".partial";
        cancellationToken.ThrowIfCancellationRequested();
        if (file.MayMove)
        {
            File.Move(file.LocalPath, temporary, overwrite: true); // a rename on the same file system
        }
        else
        {
            File.Copy(file.LocalPath, temporary, overwrite: true); // the kernel's copy: no round trip through managed buffers
        }

        if (readHashes.TryGetValue(file.Path, out var read))
        {
            if ((File.Exists(local) ? FileHash.Sha256(local) : null) != read)
            {
                File.Delete(temporary);
                throw new PipelineException(
                    $"{file.Path} changed in {Description} since this run read it: another publisher ran at the same time. "
                    + "This run stops without overwriting it; the next run starts from what the other published.");
            }

            readHashes[file.Path] = file.Sha256;
        }

        File.Move(temporary, local, overwrite: true);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListAsync(string folder, CancellationToken cancellationToken)
    {
        var local = LocalPath(folder);
        IReadOnlyList<string> files = Directory.Exists(local)
            ? [.. Directory.EnumerateFiles(local, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'))
                .Order(StringComparer.Ordinal)]
            : [];
        return Task.FromResult(files);
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var local = LocalPath(path);
        File.Delete(local);

        // Folders left empty go too (a partition that is no longer published leaves no trace).
        for (var folder = Path.GetDirectoryName(local); folder is not null && folder.Length > Root.Length; folder = Path.GetDirectoryName(folder))
        {
            if (!Directory.Exists(folder) || Directory.EnumerateFileSystemEntries(folder).Any())
            {
                break;
            }

            Directory.Delete(folder);
        }

        return Task.CompletedTask;
    }

    private string LocalPath(string path)
    {
        var local = Path.GetFullPath(Path.Combine(Root, path.Replace('/', Path.DirectorySeparatorChar)));
        return local.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? local
            : throw new ArgumentException($"Path '{path}' leaves the published folder.", nameof(path));
    }
}
