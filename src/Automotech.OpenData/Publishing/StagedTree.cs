using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Publishing;

/// <summary>A file ready to publish: its place in the tree and its local copy.</summary>
/// <param name="MayMove">
/// The target may take the local file itself (a rename) instead of a copy: the tree is used
/// once, and no later file of this publish reads the same local file.
/// </param>
public sealed record StagedFile(string Path, string LocalPath, long Bytes, string Sha256, bool MayMove = false);

/// <summary>
/// A local folder laid out as the published tree, holding what this run publishes. Nothing
/// reaches the target until the whole tree is staged, so a failing run publishes nothing.
/// </summary>
public sealed class StagedTree
{
    // sha256 of the files staged here, kept as they are written: data files run to gigabytes,
    // and hashing them again (and their latest/ copies) was most of the time after the data.
    private readonly Dictionary<string, string> hashes = new(StringComparer.Ordinal);

    // Paths published with another staged file's bytes (latest/ copies of a version's files):
    // the tree holds the bytes once, whatever the number of paths.
    private readonly Dictionary<string, string> copies = new(StringComparer.Ordinal);

    public StagedTree(string root)
    {
        Root = Path.GetFullPath(root);
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        PrivateFiles.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>
    /// The tree is published once, by one publish, and dropped after it: its files may then be
    /// moved to a folder target instead of copied (the run's tree; not a tree published twice).
    /// </summary>
    public bool SingleUse { get; init; }

    /// <summary>The local file holding <paramref name="path"/>'s bytes.</summary>
    public string LocalPath(string path) => OwnPath(copies.GetValueOrDefault(path) ?? path);

    public bool Contains(string path) => File.Exists(LocalPath(path));

    public async Task WriteAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        Detach(path);
        var local = LocalPath(path);
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(local)!);
        await using (var file = PrivateFiles.Create(local))
        {
            await file.WriteAsync(content, cancellationToken);
        }

        hashes[path] = FileHash.Sha256(content);
    }

    /// <summary>Moves a local file into the tree (no copy in memory: data files can be large), with its sha256 when the caller has it.</summary>
    public void Add(string path, string localFile, string? sha256 = null)
    {
        Detach(path);
        var local = LocalPath(path);
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(local)!);
        File.Move(localFile, local, overwrite: true); // keeps its mode: the writers' files are owner-only
        if (sha256 is null)
        {
            hashes.Remove(path);
        }
        else
        {
            hashes[path] = sha256;
        }
    }

    /// <summary>Publishes <paramref name="toPath"/> with <paramref name="fromPath"/>'s bytes (no copy is made here).</summary>
    public void Copy(string fromPath, string toPath)
    {
        var source = copies.GetValueOrDefault(fromPath) ?? fromPath;
        if (!File.Exists(LocalPath(source)))
        {
            throw new FileNotFoundException($"{fromPath} is not staged.", LocalPath(source));
        }

        var own = OwnPath(toPath);
        if (File.Exists(own))
        {
            File.Delete(own); // bytes staged there before: the copy replaces them
        }

        copies[toPath] = source;
        if (hashes.TryGetValue(source, out var sha256))
        {
            hashes[toPath] = sha256;
        }
        else
        {
            hashes.Remove(toPath);
        }
    }

    /// <summary>
    /// Before <paramref name="path"/> gets new bytes: it stops being a copy, and the copies made
    /// from it get their own bytes, as a copy would have had them.
    /// </summary>
    private void Detach(string path)
    {
        copies.Remove(path);
        foreach (var copy in copies.Where(c => c.Value == path).Select(c => c.Key).ToList())
        {
            var local = OwnPath(copy);
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(local)!);
            File.Copy(LocalPath(path), local, overwrite: true); // the copy takes the source's mode (owner-only) on Unix
            copies.Remove(copy);
        }
    }

    /// <summary>Where <paramref name="path"/>'s own bytes are kept, were it not a copy.</summary>
    private string OwnPath(string path) => Path.Combine(Root, path.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Every staged file, with its size and sha256.</summary>
    public IReadOnlyList<StagedFile> Files() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(local => Path.GetRelativePath(Root, local).Replace(Path.DirectorySeparatorChar, '/'))
            .Concat(copies.Keys)
            .Select(path => (Path: path, Local: LocalPath(path)))
            .Select(f => new StagedFile(f.Path, f.Local, new FileInfo(f.Local).Length, hashes.GetValueOrDefault(f.Path) ?? FileHash.Sha256(f.Local)))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
}
