using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Publishing;

/// <summary>
/// Publishes into a local folder (<c>out/site</c> by default), viewable in any browser. Each
/// file is written beside its destination and renamed over it, so a reader never sees half a file.
/// As the blob target's ETag conditions do, a file outside version folders is replaced only if it
/// is still as the run found it at its first call (its size and time of last write then, or
/// absent), and <c>releases.json</c> only if it still holds what the run read: of two publishers
/// of one folder, the second fails (or writes nothing) instead of dropping the first's release
/// or putting back the pages, catalogue and feed of the release it had read.
/// </summary>
public sealed class LocalFolderTarget : IPublishTarget
{
    // sha256 of each such file as read, or null when it was absent.
    private readonly Dictionary<string, string?> readHashes = new(StringComparer.Ordinal);

    // Size and time of last write of each file outside version folders, at the run's first call.
    private Dictionary<string, (long Length, DateTime Modified)>? seen;

    // A copy in progress writes continuously; a .partial file untouched for this long is a stopped run's.
    private static readonly TimeSpan StalePartialAge = TimeSpan.FromHours(1);

    private const string PartialSuffix = ".partial";

    private readonly TimeProvider clock;

    public LocalFolderTarget(string root, TimeProvider? clock = null)
    {
        // Without its trailing separator (out/site/ is out/site): every path inside is Root + '/' + …
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        this.clock = clock ?? TimeProvider.System;
    }

    public string Root { get; }

    private const string Output = "the output (--output, Publishing:Output)";

    /// <summary>Copies a staged file to its temporary path beside its destination (tests replace it to fail part-way, as a full disk does).</summary>
    internal Action<string, string> CopyFile { get; init; } = (from, to) => File.Copy(from, to, overwrite: true); // the kernel's copy: no round trip through managed buffers

    public string Description => $"folder {Root}";

    /// <summary>
    /// <c>.publish-lock</c> at the folder's root, held open with <see cref="FileShare.None"/> for the
    /// run (an exclusive flock on Linux, as <see cref="Pipelines.WorkDirectoryLock"/>): the operating
    /// system releases it with the process, so a killed run leaves only the empty file, never a
    /// stale lock. The file stays (deleting it on release would let two runs lock two files).
    /// </summary>
    public Task<PublishLock> LockAsync(CancellationToken cancellationToken)
    {
        ConfiguredFolder.RefuseFileInTheWay(Root, Output, "Nothing was published.");
        Directory.CreateDirectory(Root);
        var path = Path.Combine(Root, PublishLock.FileName);
        try
        {
            return Task.FromResult<PublishLock>(new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None)));
        }
        catch (IOException e) when (Pipelines.WorkDirectoryLock.HeldElsewhere(e))
        {
            throw new PipelineException(
                $"{Description} is being published by another run (its {PublishLock.FileName} is locked: the weekly job, a manual publish or a scheduled run, on this machine or another sharing the folder): one publisher at a time. "
                + "Nothing was published by this run; run again when the other has finished (a run that was killed leaves no lock: the system releases it with the process).", e);
        }
    }

    /// <summary>
    /// Opens <c>.publish-lock</c> for reading with a shared lock, at once released: a publisher holding
    /// it exclusively makes the open fail (EWOULDBLOCK), which is all a reader needs to know. The file
    /// is never created. A publisher starting in that instant would be refused as by another
    /// publisher: the window is one open and one close.
    /// </summary>
    public Task<PublishLockState> LockStateAsync(CancellationToken cancellationToken)
    {
        ConfiguredFolder.RefuseFileInTheWay(Root, Output, "Nothing was checked.");
        var path = Path.Combine(Root, PublishLock.FileName);
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
            return Task.FromResult(new PublishLockState(false));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult(new PublishLockState(false));
        }
        catch (IOException e) when (Pipelines.WorkDirectoryLock.HeldElsewhere(e))
        {
            return Task.FromResult(new PublishLockState(true));
        }
    }

    public Task<Stream?> ReadCurrentAsync(string path, CancellationToken cancellationToken)
    {
        var local = LocalPath(path);
        try
        {
            return Task.FromResult<Stream?>(new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    private sealed class FileLock(FileStream stream) : PublishLock
    {
        public override ValueTask DisposeAsync() => stream.DisposeAsync();
    }

    public Task<Stream?> TryOpenReadAsync(string path, CancellationToken cancellationToken)
    {
        seen ??= Survey();
        var local = LocalPath(path);
        if (Publisher.Stage(path) != 0)
        {
            readHashes[path] = File.Exists(local) ? FileHash.Sha256(local) : null;
        }

        return Task.FromResult<Stream?>(File.Exists(local) ? File.OpenRead(local) : null);
    }

    public Task<bool> HoldsAsync(StagedFile file, CancellationToken cancellationToken)
    {
        seen ??= Survey();
        var local = LocalPath(file.Path);
        var holds = File.Exists(local)
            && new FileInfo(local).Length == file.Bytes
            && FileHash.Sha256(local) == file.Sha256;
        return Task.FromResult(holds);
    }

    public Task<bool> StillAsReadAsync(string path, CancellationToken cancellationToken)
    {
        var local = LocalPath(path);
        return Task.FromResult(!readHashes.TryGetValue(path, out var read) || (File.Exists(local) ? FileHash.Sha256(local) : null) == read);
    }

    public Task WriteAsync(StagedFile file, CancellationToken cancellationToken)
    {
        var local = LocalPath(file.Path);
        if (Publisher.Stage(file.Path) == 0 && File.Exists(local))
        {
            throw new PipelineException($"{file.Path} already exists with other content in {Description}: version files are created, never replaced.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        var temporary = local + PartialSuffix;
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // The staged file is owner-only (the work folder's files are private) and both a rename
            // and File.Copy keep that mode on Unix: the published file gets the mode any new file
            // gets in this folder (the umask's, 0644 usually), read from the temporary file created
            // empty first, as the files published before the work folder became private had.
            var published = OperatingSystem.IsWindows() ? (UnixFileMode?)null : NewFileMode(temporary);
            if (file.MayMove)
            {
                File.Move(file.LocalPath, temporary, overwrite: true); // a rename on the same file system (a copy across two)
            }
            else
            {
                CopyFile(file.LocalPath, temporary);
            }

            if (published is { } mode && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, mode);
            }
        }
        catch (IOException e)
        {
            // A full disk or a failing device: half a file would stay in the served folder, unlisted.
            TryDelete(temporary);
            throw new IOException(
                $"{file.Path}: writing it into {Description} failed ({e.Message}); its partial copy was removed and the file at that path, if any, is as it was. "
                + "Free space (or fix the device) and publish again: the next run completes the publish.", e);
        }

        var changed = readHashes.TryGetValue(file.Path, out var read)
            ? (File.Exists(local) ? FileHash.Sha256(local) : null) != read
            : Publisher.Stage(file.Path) != 0 && seen is not null && !Nullable.Equals(Stat(local), seen.TryGetValue(file.Path, out var was) ? was : ((long, DateTime)?)null);
        if (changed)
        {
            File.Delete(temporary);
            throw new PipelineException(
                $"{file.Path} changed in {Description} since this run read it: another publisher ran at the same time. "
                + "This run stops without overwriting it; the next run starts from what the other published.");
        }

        try
        {
            File.Move(temporary, local, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new IOException($"{file.Path}: replacing it in {Description} failed ({e.Message}); its partial copy was removed and the file at that path, if any, is as it was.", e);
        }

        if (readHashes.ContainsKey(file.Path))
        {
            readHashes[file.Path] = file.Sha256;
        }

        if (seen is not null && Stat(local) is { } now)
        {
            seen[file.Path] = now;
        }

        return Task.CompletedTask;
    }

    /// <summary>The mode a new file gets at <paramref name="path"/> (created empty, replaced by the copy).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static UnixFileMode NewFileMode(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path); // a stopped run's copy: its mode is not a new file's
        }

        using (new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
        }

        return File.GetUnixFileMode(path);
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
        seen?.Remove(path);

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

    /// <summary>
    /// Every file outside version folders, with its size and time of last write (no hashing: latest/
    /// files run to gigabytes), once the <c>.partial</c> files a stopped run left are removed.
    /// </summary>
    private Dictionary<string, (long, DateTime)> Survey()
    {
        RemoveStalePartialFiles();
        return Directory.Exists(Root)
            ? Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
                .Select(f => (Path: Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'), Info: new FileInfo(f)))
                .Where(f => Publisher.Stage(f.Path) != 0 && f.Path != PublishLock.FileName)
                .ToDictionary(f => f.Path, f => (f.Info.Length, f.Info.LastWriteTimeUtc), StringComparer.Ordinal)
            : new(StringComparer.Ordinal);
    }

    /// <summary>
    /// A <c>.partial</c> file is half a copy: never listed, never completed, yet served. One that a
    /// run killed mid-copy (or a crash before its clean-up) left, anywhere in the tree, version
    /// folders included, is removed; one written to within the last hour may be another
    /// publisher's copy under way and is left to a later run.
    /// </summary>
    private void RemoveStalePartialFiles()
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        var before = clock.GetUtcNow().UtcDateTime - StalePartialAge;
        foreach (var partial in Directory.EnumerateFiles(Root, "*" + PartialSuffix, SearchOption.AllDirectories))
        {
            if (File.GetLastWriteTimeUtc(partial) < before)
            {
                TryDelete(partial);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the error being reported, or the next run, matters more.
        }
    }

    private static (long, DateTime)? Stat(string local)
    {
        var info = new FileInfo(local);
        return info.Exists ? (info.Length, info.LastWriteTimeUtc) : null;
    }

    private string LocalPath(string path)
    {
        var local = Path.GetFullPath(Path.Combine(Root, path.Replace('/', Path.DirectorySeparatorChar)));
        return local.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? local
            : throw new ArgumentException($"Path '{path}' leaves the published folder.", nameof(path));
    }
}
