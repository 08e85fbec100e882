using System.Diagnostics;
using System.Globalization;

namespace Automotech.OpenData.Benchmarks.Pipeline;

/// <summary>What one child process cost: wall time, peak resident memory, CPU time (user + system, with GNU time), and what it printed.</summary>
public sealed record ChildRun(double WallSeconds, long PeakRssBytes, string PeakMethod, int ExitCode, string Output, double? CpuSeconds = null);

/// <summary>
/// Runs a command as a child process and measures it from outside, the same way for our Worker
/// and for DuckDB. Peak memory is the kernel's own figure: with GNU time, the child's
/// <c>ru_maxrss</c> from <c>wait4</c> (exact, covers the whole life of the process); without it,
/// <c>VmHWM</c> (the resident high-water mark) polled from <c>/proc/&lt;pid&gt;/status</c> every
/// 10 ms, whose last reading can miss only growth in the final 10 ms. Wall time is measured here,
/// start to exit, so it includes the runtime's start-up, as a user's run does.
/// </summary>
public static class ChildMeter
{
    private const string GnuTime = "/usr/bin/time";

    public static ChildRun Run(string fileName, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var useTime = File.Exists(GnuTime);
        var rusageFile = Path.Combine(workingDirectory, ".rusage");
        var start = new ProcessStartInfo
        {
            FileName = useTime ? GnuTime : fileName,
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (useTime)
        {
            foreach (var a in (string[])["-f", "%M %U %S", "-o", rusageFile, fileName])
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var output = new System.Text.StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long polledPeak = 0;
        while (!process.WaitForExit(10))
        {
            if (!useTime)
            {
                polledPeak = Math.Max(polledPeak, ReadHighWaterMark(process.Id));
            }
        }

        process.WaitForExit(); // drains the redirected streams
        var wall = clock.Elapsed.TotalSeconds;
        long peak;
        string method;
        double? cpu = null;
        if (useTime)
        {
            // "<max RSS KiB> <user s> <system s>" on the last line (GNU time may print a status line before it).
            var fields = File.ReadAllText(rusageFile).Trim().Split('\n')[^1].Split(' ');
            peak = long.Parse(fields[0], CultureInfo.InvariantCulture) * 1024;
            cpu = double.Parse(fields[1], CultureInfo.InvariantCulture) + double.Parse(fields[2], CultureInfo.InvariantCulture);
            method = "ru_maxrss (GNU time)";
            File.Delete(rusageFile);
        }
        else
        {
            peak = polledPeak;
            method = "VmHWM polled every 10 ms";
        }

        return new ChildRun(wall, peak, method, process.ExitCode, output.ToString(), cpu);
    }

    private static void Append(System.Text.StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static long ReadHighWaterMark(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // The process exited between two readings.
        }

        return 0;
    }
}
