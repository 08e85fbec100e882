namespace Automotech.OpenData.Pipelines;

/// <summary>
/// One run at a time in a work folder. Each run deletes and rewrites its build, staging and
/// private folders there, so a second run on the same folder (a manual publish during the weekly
/// job, a validate beside a scheduled host) would delete the first's staged files: the first then
/// crashed, or published the second's bytes under paths whose sha256 releases.json gives for its
/// own. The lock is the operating system's (an exclusive file lock, which .NET takes on Linux with
/// flock for <see cref="FileShare.None"/>): it goes with the process, so a run that was killed
/// leaves no lock behind, only the empty file.
/// </summary>
internal sealed class WorkDirectoryLock : IDisposable
{
    public const string FileName = ".lock";

    private readonly FileStream stream;

    private WorkDirectoryLock(FileStream stream) => this.stream = stream;

    public static WorkDirectoryLock Acquire(string workDirectory)
    {
        ConfiguredFolder.RefuseFileInTheWay(workDirectory, "the work folder (Pipeline:WorkDirectory)", "Nothing was read or published.");
        PrivateFiles.CreateRoot(workDirectory);
        var path = Path.Combine(workDirectory, FileName);
        try
        {
            return new WorkDirectoryLock(PrivateFiles.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
        }
        catch (IOException e) when (HeldElsewhere(e))
        {
            throw new PipelineException(
                $"Pipeline:WorkDirectory ({workDirectory}) is in use by another run (publish, validate or a scheduled run) on this machine: two runs in one work folder would delete each other's files. "
                + "Nothing was done; run again when it has finished.", e);
        }
    }

    public void Dispose() => stream.Dispose();

    /// <summary>
    /// The lock is held by another process (a sharing violation on Windows; EWOULDBLOCK from flock
    /// elsewhere, which .NET gives as the errno), not another I/O failure (a read-only or full
    /// disk), which must be reported as what it is.
    /// </summary>
    internal static bool HeldElsewhere(IOException e) =>
        e.HResult == (OperatingSystem.IsWindows() ? unchecked((int)0x80070020) : OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 35 : 11);
}
