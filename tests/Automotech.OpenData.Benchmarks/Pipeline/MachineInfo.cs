using System.Runtime.InteropServices;

namespace Automotech.OpenData.Benchmarks.Pipeline;

/// <summary>What the figures were measured on: they mean nothing without it.</summary>
public sealed record MachineInfo(string Name, string Cpu, int LogicalCores, long MemoryBytes, string Os, string Dotnet, string DuckDb, string Commit)
{
    public static MachineInfo Describe(string name) => new(
        name,
        ProcField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Environment.ProcessorCount,
        long.TryParse(ProcField("/proc/meminfo", "MemTotal")?.Split(' ')[0], out var kb) ? kb * 1024 : 0,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        DuckDbJob.Version(),
        GitCommit());

    /// <summary>A machine name safe as a folder name.</summary>
    public static string FolderName(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());

    private static string? ProcField(string file, string key)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    /// <summary>The commit of the git working tree that holds <paramref name="directory"/> (this repository's by default), "+changes" when it has uncommitted ones.</summary>
    public static string GitCommit(string? directory = null)
    {
        try
        {
            var commit = RunQuiet("git", "rev-parse --short HEAD", directory);
            var dirty = RunQuiet("git", "status --porcelain --untracked-files=no", directory);
            return commit.Length == 0 ? "unknown" : commit + (dirty.Length > 0 ? "+changes" : "");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    private static string RunQuiet(string file, string arguments, string? directory = null)
    {
        var start = new System.Diagnostics.ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory ?? Inputs.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start);
        var text = process?.StandardOutput.ReadToEnd().Trim() ?? "";
        process?.WaitForExit();
        return text;
    }
}
