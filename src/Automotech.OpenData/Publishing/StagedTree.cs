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
    // sha256 of the files staged here, kept as they are written: data files run to gigabytes,
    // and hashing them again (and their latest/ copies) was most of the time after the data.
    private readonly Dictionary<string, string> hashes = new(StringComparer.Ordinal);

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
        hashes[path] = FileHash.Sha256(content);
    }

    /// <summary>Moves a local file into the tree (no copy in memory: data files can be large), with its sha256 when the caller has it.</summary>
    public void Add(string path, string localFile, string? sha256 = null)
    {
        var local = LocalPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        File.Move(localFile, local, overwrite: true);
        if (sha256 is null)
        {
            hashes.Remove(path);
        }
        else
        {
            hashes[path] = sha256;
        }
    }

    public void Copy(string fromPath, string toPath)
    {
        var local = LocalPath(toPath);
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        File.Copy(LocalPath(fromPath), local, overwrite: true);
        if (hashes.TryGetValue(fromPath, out var sha256))
        {
            hashes[toPath] = sha256;
        }
        else
        {
            hashes.Remove(toPath);
        }
    }

    /// <summary>Every staged file, with its size and sha256.</summary>
    public IReadOnlyList<StagedFile> Files() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(local => (Path: Path.GetRelativePath(Root, local).Replace(Path.DirectorySeparatorChar, '/'), Local: local))
            .Select(f => new StagedFile(f.Path, f.Local, new FileInfo(f.Local).Length, hashes.GetValueOrDefault(f.Path) ?? FileHash.Sha256(f.Local)))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
}
