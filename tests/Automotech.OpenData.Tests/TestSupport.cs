using Automotech.OpenData.DemoData;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Tests;

/// <summary>Paths of the repository the tests run from, and scratch folders.</summary>
/// <summary>The Azurite blob emulator scripts/test.sh starts (its well-known development account, not a secret).</summary>
internal static class Azurite
{
    public const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Azurite's blob endpoint (http://127.0.0.1:port/devstoreaccount1); fails the test when Azurite was not started.</summary>
    public static string Endpoint
    {
        get
        {
            var endpoint = Environment.GetEnvironmentVariable("AZURITE_BLOB_ENDPOINT");
            Assert.False(string.IsNullOrEmpty(endpoint), "AZURITE_BLOB_ENDPOINT is not set: run the tests with scripts/test.sh, which installs and starts Azurite.");
            return endpoint;
        }
    }

    /// <summary>Fails the test (never skips it) when Azurite was not started.</summary>
    public static string ConnectionString
    {
        get
        {
            var endpoint = Environment.GetEnvironmentVariable("AZURITE_BLOB_ENDPOINT");
            Assert.False(string.IsNullOrEmpty(endpoint), "AZURITE_BLOB_ENDPOINT is not set: run the tests with scripts/test.sh, which installs and starts Azurite.");
            return $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentKey};BlobEndpoint={endpoint};";
        }
    }
}

internal static class Repo
{
    public static string Root { get; } = Find();

    public static string Pipelines => Path.Combine(Root, "pipelines");

    public static string Templates => Path.Combine(Root, "site-templates");

    public static string DemoSource => Path.Combine(Root, "samples", "acteurs-crm-demo.csv");

    public static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Automotech.OpenData.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root (Automotech.OpenData.sln) not found above the test binaries.");
    }
}

/// <summary>A folder under the system temp folder, deleted with the test.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "automotech-tests", Guid.NewGuid().ToString("N"));

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a leftover temp folder is harmless
        }
    }
}

/// <summary>Collects rejected rows, for assertions.</summary>
internal sealed class RejectList : IRejectedRowSink
{
    public List<RejectedRow> Rows { get; } = [];

    public List<RowError> Warnings { get; } = [];

    public IEnumerable<RowError> Errors => Rows.SelectMany(r => r.Errors);

    public void Reject(RejectedRow row) => Rows.Add(row);

    public void Warn(RowError warning) => Warnings.Add(warning);
}

/// <summary>What a sink receives, one line per rejection or warning, in order (rejections with every reason and value).</summary>
internal sealed class EventLog : IRejectedRowSink
{
    public List<string> Events { get; } = [];

    public void Reject(RejectedRow row) =>
        Events.Add($"R {row.LineNumber} {string.Join(" ; ", row.Errors.Select(e => $"{e.FieldName} {e.Type} {e.Rule} {e.Message}"))} {string.Join("|", row.Values)}");

    public void Warn(RowError warning) => Events.Add($"W {warning.LineNumber} {warning.FieldName} {warning.Type} {warning.Rule} {warning.Message}");
}

/// <summary>The acteurs pipeline and a file of fictional actors from the demo generator, in a scratch folder.</summary>
internal static class DemoActors
{
    public static async Task<(PipelineDefinition Pipeline, string Path)> WriteAsync(TempFolder temp, int rows, int seed)
    {
        var pipeline = PipelineLoader.Load(System.IO.Path.Combine(Repo.Pipelines, "acteurs"));
        var path = temp.Combine("acteurs.csv");
        await using (var file = File.Create(path))
        {
            DemoActorGenerator.Write(file, rows, seed);
        }

        return (pipeline, path);
    }
}

internal static class Batches
{
    /// <summary>A batch of the given fields from rows of text, line numbers 2, 3, ...</summary>
    public static ColumnBatch Of(string[] fields, params string?[][] rows)
    {
        var batch = new ColumnBatch(fields, Math.Max(1, rows.Length));
        for (var r = 0; r < rows.Length; r++)
        {
            var row = batch.AddRow(r + 2);
            for (var f = 0; f < fields.Length; f++)
            {
                batch.Set(row, f, rows[r][f]);
            }
        }

        return batch;
    }
}

/// <summary>
/// Waits for a condition, not for a time: a slow or loaded machine (CI's two cores, the rest of the
/// suite beside) only makes the wait longer. The bound is there so that a regression fails instead
/// of hanging the suite, with what was awaited and what was seen.
/// </summary>
internal static class Eventually
{
    /// <summary>How long a condition may take to come, on the slowest machine, before the test fails.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Checks <paramref name="condition"/> every <paramref name="poll"/> (50 ms by default) until it
    /// holds, running <paramref name="meanwhile"/> between checks (a fake clock advanced, say); fails
    /// after <see cref="Limit"/> naming <paramref name="awaited"/> and what <paramref name="seen"/> says.
    /// </summary>
    public static async Task WaitAsync(Func<Task<bool>> condition, string awaited, Func<Task<string>>? seen = null, Action? meanwhile = null, TimeSpan? poll = null)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > Limit)
            {
                Assert.Fail($"waited {Limit.TotalSeconds:0} s for {awaited}, in vain{(seen is null ? "" : "; seen: " + await seen())}");
            }

            meanwhile?.Invoke();
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(50));
        }
    }

    /// <inheritdoc cref="WaitAsync(Func{Task{bool}}, string, Func{Task{string}}?, Action?, TimeSpan?)"/>
    public static Task WaitAsync(Func<bool> condition, string awaited, Func<string>? seen = null, Action? meanwhile = null, TimeSpan? poll = null) =>
        WaitAsync(() => Task.FromResult(condition()), awaited, seen is null ? null : () => Task.FromResult(seen()), meanwhile, poll);
}

/// <summary>A child process (the built Worker, node, sh…) run to its end, both streams read side by side.</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Starts <paramref name="start"/> with <paramref name="arguments"/> appended to its argument list
    /// (its standard output and error redirected here), and returns its exit code and what it wrote.
    /// With a <paramref name="limit"/>, a child still running after it is killed and the test fails
    /// (a regression that blocks fails instead of hanging the suite).
    /// </summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(System.Diagnostics.ProcessStartInfo start, IEnumerable<string> arguments, TimeSpan? limit = null)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit ?? Timeout.InfiniteTimeSpan);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{start.FileName} {string.Join(' ', start.ArgumentList)} still running after {limit!.Value.TotalSeconds} s; killed.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
