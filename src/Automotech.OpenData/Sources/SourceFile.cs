using System.Runtime.InteropServices;

namespace Automotech.OpenData.Sources;

/// <summary>
/// A local source must be a regular file (or a symbolic link to one). A named pipe made by
/// <c>mkfifo</c> blocks the run at its opening until a writer comes (forever, in CI); a character
/// device such as <c>/dev/zero</c> or <c>/dev/urandom</c> reads forever; a directory, a block device
/// or a socket is no export either. Each is refused before anything is opened or read.
/// </summary>
/// <remarks>
/// .NET 10 tells none of them apart without opening the file, which is what blocks: on Unix a FIFO,
/// a device and a socket all have <see cref="FileAttributes.Normal"/>, <see cref="File.Exists"/>
/// true and a <see cref="FileInfo.Length"/> of 0, like an empty file (checked here on .NET 10, Linux;
/// <see cref="File.GetUnixFileMode(string)"/> gives the permission bits only, and the file type of a
/// handle, <c>SafeFileHandle.Type</c>, comes with .NET 11 and needs an open handle anyway). So the
/// type is read by <c>stat</c> (following symbolic links) through <c>SystemNative_Stat</c>, the
/// export of the runtime's own native shim, <c>libSystem.Native</c>, that <see cref="FileInfo"/>
/// itself calls: it ships with every .NET runtime for Linux (glibc and musl builds alike) and macOS,
/// and fills a <c>FileStatus</c> of its own layout, the same on every C library and architecture,
/// whose first two fields (<c>int32 Flags</c>, <c>int32 Mode</c>) have not changed since .NET Core 1.0,
/// with the file type bits as POSIX numbers them (the shim asserts they equal the platform's).
/// Calling the C library's <c>stat</c> instead would not be portable: glibc before 2.33 exports no
/// <c>stat</c> symbol (only <c>__xstat</c>), and <c>struct stat</c>'s layout, hence where
/// <c>st_mode</c> lies, differs between architectures. The buffer is larger than <c>FileStatus</c>
/// (about 120 bytes), so a longer one in a later runtime still fits. On Windows only a folder is
/// told apart (its devices have no path in a folder).
/// </remarks>
public static class SourceFile
{
    private const int TypeMask = 0xF000;

    /// <summary>
    /// Throws when <paramref name="path"/> exists and is not a regular file, naming the file and what
    /// it is; does nothing for a regular file, or a missing one (the caller's "not found" says so).
    /// </summary>
    /// <param name="what">What the path is, for the message: <c>source file</c>, <c>Sirene file</c>…</param>
    public static void RequireRegular(string path, string what)
    {
        if (NotRegular(path) is { } kind)
        {
            throw new PipelineException(
                $"{path}: the {what} is {kind}, not a regular file: a source is read from a file (a named pipe would wait for a writer, a device such as /dev/zero never ends). Nothing was read or published.");
        }
    }

    /// <summary>What <paramref name="path"/> is when it exists and is not a regular file, else null.</summary>
    public static string? NotRegular(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return Directory.Exists(path) ? "a directory" : null;
        }

        var status = new byte[256];
        try
        {
            if (Stat(System.Text.Encoding.UTF8.GetBytes(path + "\0"), status) != 0)
            {
                return null; // missing or unreadable: opening it says so, as before
            }
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // A runtime whose shim no longer exports it: every run would otherwise stop on an
            // internal error. Only folders are told apart then (SpecialSourceFileTests fail on such
            // a runtime, which is how we would learn of it).
            return Directory.Exists(path) ? "a directory" : null;
        }

        return (BitConverter.ToInt32(status, 4) & TypeMask) switch
        {
            0x8000 => null,
            0x4000 => "a directory",
            0x1000 => "a named pipe (FIFO)",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            var other => $"a special file (type 0x{other:X4})",
        };
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", ExactSpelling = true)]
    private static extern int Stat(byte[] nulTerminatedUtf8Path, [Out] byte[] status);
}
