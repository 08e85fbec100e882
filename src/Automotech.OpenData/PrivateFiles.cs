using System.Runtime.Versioning;

namespace Automotech.OpenData;

/// <summary>
/// Files and folders of the quarantine and the work folder, which hold private values (rejected
/// rows, the natural persons' rows awaiting k-anonymity, spilled keys, staged outputs): on Unix
/// they are created owner-only, folders <c>0700</c> and files <c>0600</c>, whatever the process's
/// umask (which usually makes them world-readable, <c>0755</c> and <c>0644</c>). On Windows they
/// inherit their folder's ACL, as before. A file of an earlier run that is opened again (the
/// quarantine's files, the work folder's <c>.lock</c>) is made owner-only too; a folder that
/// already exists is left as it is (the operator may have made the configured folders, on a
/// volume of their own), its files being owner-only anyway.
/// </summary>
internal static class PrivateFiles
{
    public const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// A configured private folder (<c>Pipeline:WorkDirectory</c>, <c>Pipeline:QuarantineDirectory</c>):
    /// its missing parents are made as any folder (they may be shared with the published folder, as
    /// <c>out/</c> is by default), the folder itself owner-only.
    /// </summary>
    public static void CreateRoot(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        // Directory.CreateDirectory(path, mode) gives the mode to the last folder only, the missing
        // parents getting the umask's (checked on .NET 10).
        Directory.CreateDirectory(directory, OwnerOnlyFolder);
    }

    /// <summary>
    /// A folder inside a private one: every folder it creates on the way (not only the last) is
    /// owner-only.
    /// </summary>
    public static void CreateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        var full = Path.GetFullPath(directory);
        var missing = new Stack<string>();
        for (var folder = full; !string.IsNullOrEmpty(folder) && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
        {
            missing.Push(folder);
        }

        while (missing.TryPop(out var folder))
        {
            Directory.CreateDirectory(folder, OwnerOnlyFolder);
        }
    }

    /// <summary>Opens a private file, owner-only on Unix whether it is created or was already there.</summary>
    public static FileStream Open(string path, FileMode mode, FileAccess access, FileShare share = FileShare.None, int bufferSize = 4096, FileOptions options = FileOptions.None)
    {
        var streamOptions = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = bufferSize, Options = options };
        if (OperatingSystem.IsWindows() || mode is FileMode.Open or FileMode.Truncate)
        {
            return new FileStream(path, streamOptions);
        }

        streamOptions.UnixCreateMode = OwnerOnlyFile;
        var stream = new FileStream(path, streamOptions);
        try
        {
            MakeOwnerOnly(stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        return stream;
    }

    /// <summary>Creates (or truncates) a private file for writing.</summary>
    public static FileStream Create(string path, int bufferSize = 4096, FileOptions options = FileOptions.None) =>
        Open(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize, options);

    /// <summary>A file that existed before it was opened kept its mode: <c>UnixCreateMode</c> applies to a new file only.</summary>
    [UnsupportedOSPlatform("windows")]
    private static void MakeOwnerOnly(FileStream stream)
    {
        if (File.GetUnixFileMode(stream.SafeFileHandle) != OwnerOnlyFile)
        {
            File.SetUnixFileMode(stream.SafeFileHandle, OwnerOnlyFile);
        }
    }
}
