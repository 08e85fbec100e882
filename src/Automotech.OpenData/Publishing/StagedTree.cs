using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Publishing;

/// <summary>A file ready to publish: its place in the tree and its local copy.</summary>
public sealed record StagedFile(string Path, string LocalPath, long Bytes, string Sha256);

/// <summary>
/// A local folder laid out as the published tree, holding what this run publishes. Nothing
/// reaches the target until the whole tree is staged, so a failing run publishes nothing.
/// </summary>
public sealed class StagedTree
{
    public StagedTree(string root)
    {
        Root = Path.GetFullPath(root);
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string LocalPath(string path) => Path.Combine(Root, path.Replace('/', Path.DirectorySeparatorChar));

    public bool Contains(string path) => File.Exists(LocalPath(path));

    public async Task WriteAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var local = LocalPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        await File.WriteAllBytesAsync(local, content, cancellationToken);
    }

    /// <summary>Moves a local file into the tree (no copy in memory: data files can be large).</summary>
    public void Add(string path, string localFile)
    {
        var local = LocalPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        File.Move(localFile, local, overwrite: true);
    }

    public void Copy(string fromPath, string toPath)
    {
        var local = LocalPath(toPath);
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        File.Copy(LocalPath(fromPath), local, overwrite: true);
    }

    /// <summary>Every staged file, with its size and sha256.</summary>
    public IReadOnlyList<StagedFile> Files() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(local => new StagedFile(
                Path.GetRelativePath(Root, local).Replace(Path.DirectorySeparatorChar, '/'),
                local,
                new FileInfo(local).Length,
                FileHash.Sha256(local)))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
}
