using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Automotech.OpenData.Benchmarks.Pipeline;

/// <summary>One measured run of one job.</summary>
/// <param name="Version">The version the Worker published (the Paris date of its run, which the Parquet embeds); null for DuckDB's jobs.</param>
public sealed record JobRun(string Job, int Run, double WallSeconds, long PeakRssBytes, long RowsRead, string? CsvSha256, string? ParquetSha256, StageMillis? Stages, double? CpuSeconds = null, Collector? Gc = null, string? Version = null)
{
    public double RowsPerSecond => RowsRead / WallSeconds;
}

/// <summary>The Worker's own stage timings (its log line), in milliseconds.</summary>
public sealed record StageMillis(long Read, long Validate, long Anonymise, long Write);

/// <summary>The Worker's garbage-collector line: collections by generation, time paused, bytes allocated.</summary>
public sealed record Collector(int Gen0, int Gen1, int Gen2, long PausedMs, long AllocatedMb)
{
    public int Collections => Gen0 + Gen1 + Gen2;
}

/// <summary>
/// The whole-pipeline benchmark: for each size, generates (once, cached) the source, then runs,
/// side by side and <c>--runs</c> times, the real Worker <c>publish</c> and the two DuckDB jobs,
/// each as a child process measured by <see cref="ChildMeter"/>, and writes the results.
/// </summary>
public static partial class PipelineBenchmark
{
    public const string Ours = "worker publish";
    public const string DuckDbFull = "duckdb full";
    public const string DuckDbProjection = "duckdb projection";
    public const string Floor = "ours read+write only";
    public const string FloorBytes = "ours read+write only, bytes";

    public static int Run(IReadOnlyDictionary<string, string> options, IReadOnlyList<string> environmentPairs)
    {
        var sizes = options.GetValueOrDefault("rows", "1000000").Split(',').Select(r => int.Parse(r, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)).ToList();
        var runs = int.Parse(options.GetValueOrDefault("runs", "3"), CultureInfo.InvariantCulture);
        var seed = int.Parse(options.GetValueOrDefault("seed", "42"), CultureInfo.InvariantCulture);
        var skipDuckDb = options.ContainsKey("skip-duckdb");
        var floor = options.ContainsKey("floor");
        var label = options.GetValueOrDefault("label", "");
        var machine = MachineInfo.Describe(options.GetValueOrDefault("machine", Environment.MachineName));
        var worker = options.GetValueOrDefault("worker", DefaultWorker());
        if (!File.Exists(worker))
        {
            Console.Error.WriteLine($"error: the Worker is not built: {worker} (dotnet build -c Release first, or --worker PATH).");
            return 1;
        }

        // Another build is named in the results by the commit of the working tree it was built in.
        var otherWorker = options.ContainsKey("worker") ? $"the build of commit `{MachineInfo.GitCommit(Path.GetDirectoryName(Path.GetFullPath(worker)))}`" : null;

        var environment = WorkerEnvironment(environmentPairs);

        Console.WriteLine($"Machine {machine.Name}: {machine.Cpu}, {machine.LogicalCores} cores, {machine.MemoryBytes >> 20} MiB; {machine.Dotnet}; DuckDB {machine.DuckDb}; commit {machine.Commit}");
        var formats = options.GetValueOrDefault("formats", "csv,parquet");
        var pipelines = PreparePipelines(formats);
        var resultsDirectory = options.GetValueOrDefault("results", Path.Combine(Inputs.RepositoryRoot, "benchmarks", "results", MachineInfo.FolderName(machine.Name)));
        foreach (var rows in sizes)
        {
            Console.WriteLine($"Source: {rows:N0} rows (seed {seed}) ...");
            var source = Inputs.Source(rows, seed);
            var results = new List<JobRun>();
            for (var run = 1; run <= runs; run++)
            {
                results.Add(RunWorker(worker, source, pipelines, environment, run, options.ContainsKey("batch-size") ? options["batch-size"] : null));
                Print(results[^1]);
                if (!skipDuckDb)
                {
                    results.Add(RunDuckDb("full", source, run, options.GetValueOrDefault("duckdb-threads")));
                    Print(results[^1]);
                    results.Add(RunDuckDb("projection", source, run, options.GetValueOrDefault("duckdb-threads")));
                    Print(results[^1]);
                }

                if (floor)
                {
                    results.Add(RunFloor(worker, source, run, environment, options.GetValueOrDefault("batch-size"), bytes: false));
                    Print(results[^1]);
                    results.Add(RunFloor(worker, source, run, environment, options.GetValueOrDefault("batch-size"), bytes: true));
                    Print(results[^1]);
                }
            }

            var report = new PipelineReport(machine, rows, runs, label, formats, environmentPairs, results, otherWorker);
            var (markdown, json) = report.Write(resultsDirectory);
            Console.WriteLine();
            Console.WriteLine(report.Markdown());
            Console.WriteLine($"Written: {markdown}, {json}");
        }

        return 0;
    }

    /// <summary>The Worker's environment: the benchmark's public key, plain logs, and <c>--env</c> pairs.</summary>
    internal static Dictionary<string, string> WorkerEnvironment(IReadOnlyList<string> environmentPairs)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Anonymisation__Key"] = Inputs.BenchmarkKey,
            ["CI"] = "1", // plain log lines, no progress bars
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        foreach (var pair in environmentPairs)
        {
            var (key, value) = (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            environment[key] = value;
        }

        return environment;
    }

    private static void Print(JobRun r) =>
        Console.WriteLine($"  {r.Job,-20} run {r.Run}: {r.WallSeconds,7:F1} s  {r.RowsPerSecond,9:N0} rows/s  peak {r.PeakRssBytes / 1048576.0,7:F0} MiB"
            + (r.CsvSha256 is null ? "" : $"  csv {r.CsvSha256[..12]} parquet {r.ParquetSha256?[..12]}")
            + (r.Stages is { } s ? $"  [read {s.Read} validate {s.Validate} anonymise {s.Anonymise} write {s.Write} ms]" : "")
            + (r.Gc is { } g ? $"  [gc {g.Collections} collections, {g.PausedMs} ms paused, {g.AllocatedMb} MB allocated]" : ""));

    internal static string DefaultWorker()
    {
        // Same configuration as this build (bin/<Configuration>/net10.0/).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release";
        return Path.Combine(Inputs.RepositoryRoot, "src", "Automotech.OpenData.Worker", "bin", configuration, "net10.0", "Automotech.OpenData.Worker.dll");
    }

    /// <summary>
    /// A copy of pipelines/acteurs whose source limits admit the benchmark's sizes (the
    /// committed limits stop at 5 million rows and 2 GB; a 10-million-row export is 5 GB) and
    /// whose outputs are <paramref name="formats"/>: by default CSV and Parquet, the job the
    /// issue's target names ("read, validate, anonymise, write CSV and Parquet"); the committed
    /// definition also writes GeoJSON (<c>--formats csv,parquet,geojson</c>). Everything else is
    /// the committed definition. <paramref name="repository"/>: another checkout's definition (a
    /// baseline build that does not read this one's keys), copied to <paramref name="cacheFolder"/>.
    /// </summary>
    internal static string PreparePipelines(string formats, string? repository = null, string cacheFolder = "pipelines")
    {
        var from = Path.Combine(repository ?? Inputs.RepositoryRoot, "pipelines", "acteurs");
        var to = Path.Combine(Inputs.CacheDirectory, cacheFolder, "acteurs");
        Directory.CreateDirectory(to);
        var yaml = File.ReadAllText(Path.Combine(from, "pipeline.yaml"));
        yaml = MaxFileBytes().Replace(yaml, "max_file_bytes: 1099511627776");
        yaml = MaxRows().Replace(yaml, "max_rows: 100000000");
        var line = $"  formats: [{string.Join(", ", formats.Split(','))}]";
        if (!Formats().IsMatch(yaml))
        {
            throw new InvalidOperationException("pipelines/acteurs/pipeline.yaml has no 'formats: [...]' line to replace.");
        }

        yaml = Formats().Replace(yaml, line);
        File.WriteAllText(Path.Combine(to, "pipeline.yaml"), yaml);
        File.Copy(Path.Combine(from, "schema.json"), Path.Combine(to, "schema.json"), overwrite: true);
        return Path.GetDirectoryName(to)!;
    }

    internal static JobRun RunWorker(string worker, string source, string pipelines, Dictionary<string, string> environment, int run, string? batchSize)
    {
        var directory = FreshDirectory($"worker-{run}");
        string[] arguments =
        [
            worker, "publish", "--source", source, "--output", Path.Combine(directory, "site"),
            $"--Pipeline:Directory={pipelines}",
            $"--Pipeline:WorkDirectory={Path.Combine(directory, "work")}",
            $"--Pipeline:QuarantineDirectory={Path.Combine(directory, "quarantine")}",
            .. batchSize is null ? Array.Empty<string>() : [$"--Pipeline:BatchSize={batchSize}"],
        ];
        var child = ChildMeter.Run("dotnet", arguments, directory, environment);
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"The Worker failed (exit {child.ExitCode}):\n{child.Output}");
        }

        var (rowsRead, stages, gc) = ParseWorkerLog(child.Output, "acteurs");
        var latest = Path.Combine(directory, "site", "datasets", "acteurs", "latest");
        var result = new JobRun(
            Ours,
            run,
            child.WallSeconds,
            child.PeakRssBytes,
            rowsRead,
            Sha256(Path.Combine(latest, "acteurs.csv")),
            Sha256(Path.Combine(latest, "acteurs.parquet")),
            stages,
            child.CpuSeconds,
            gc,
            PublishedVersion(Path.Combine(latest, "datapackage.json")));
        Directory.Delete(directory, recursive: true);
        return result;
    }

    private static JobRun RunDuckDb(string kind, string source, int run, string? threads)
    {
        var directory = FreshDirectory($"duckdb-{kind}-{run}");
        var self = Path.Combine(AppContext.BaseDirectory, "Automotech.OpenData.Benchmarks.dll");
        string[] arguments =
        [
            self, "duckdb-job", "--kind", kind, "--source", source, "--output", Path.Combine(directory, "acteurs.parquet"),
            .. threads is null ? Array.Empty<string>() : ["--threads", threads],
        ];
        var child = ChildMeter.Run("dotnet", arguments, directory, new Dictionary<string, string>(StringComparer.Ordinal));
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"The DuckDB job failed (exit {child.ExitCode}):\n{child.Output}");
        }

        var rows = DuckDbRows().Match(child.Output);
        var result = new JobRun(kind == "full" ? DuckDbFull : DuckDbProjection, run, child.WallSeconds, child.PeakRssBytes,
            rows.Success ? long.Parse(rows.Groups[1].Value, CultureInfo.InvariantCulture) : 0, null, null, null);
        Directory.Delete(directory, recursive: true);
        return result;
    }

    /// <summary>
    /// <see cref="FloorJob"/> in a child process, with the Worker's runtime settings (its
    /// runtimeconfig's GC heap cap and JIT tiers, as environment variables) and environment;
    /// with <paramref name="bytes"/>, its UTF-8 variant (<c>--write bytes</c>, no string per cell).
    /// </summary>
    private static JobRun RunFloor(string worker, string source, int run, Dictionary<string, string> environment, string? batchSize, bool bytes)
    {
        var directory = FreshDirectory($"floor-{(bytes ? "bytes-" : "")}{run}");
        var self = Path.Combine(AppContext.BaseDirectory, "Automotech.OpenData.Benchmarks.dll");
        var settings = WorkerRuntimeSettings(worker);
        foreach (var (key, value) in environment)
        {
            settings[key] = value; // an experiment's own setting wins, as it does for the Worker
        }

        string[] arguments =
        [
            self, "floor-job", "--source", source, "--output", directory,
            .. bytes ? ["--write", "bytes"] : Array.Empty<string>(),
            .. batchSize is null ? Array.Empty<string>() : ["--batch-size", batchSize],
        ];
        var child = ChildMeter.Run("dotnet", arguments, directory, settings);
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"The floor job failed (exit {child.ExitCode}):\n{child.Output}");
        }

        var rows = FloorRows().Match(child.Output);
        var result = new JobRun(bytes ? FloorBytes : Floor, run, child.WallSeconds, child.PeakRssBytes,
            rows.Success ? long.Parse(rows.Groups[1].Value, CultureInfo.InvariantCulture) : 0, null, null, null);
        Directory.Delete(directory, recursive: true);
        return result;
    }

    /// <summary>The Worker's runtimeconfig settings that change speed or memory, as the environment variables that set them.</summary>
    private static Dictionary<string, string> WorkerRuntimeSettings(string worker)
    {
        var path = Path.ChangeExtension(worker, ".runtimeconfig.json");
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var properties = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        if (properties.TryGetProperty("System.GC.HeapHardLimit", out var limit))
        {
            settings["DOTNET_GCHeapHardLimit"] = limit.GetInt64().ToString("x", CultureInfo.InvariantCulture);
        }

        if (properties.TryGetProperty("System.Runtime.TieredPGO", out var pgo))
        {
            settings["DOTNET_TieredPGO"] = pgo.GetBoolean() ? "1" : "0";
        }

        return settings;
    }

    private static string FreshDirectory(string name)
    {
        var directory = Path.Combine(Inputs.CacheDirectory, "runs", name);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        return directory;
    }

    private static long Long(Match m, int group) => long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    /// <summary>
    /// What the benchmark reads in the Worker's log for one dataset: its rows read, its stage
    /// timings, and the garbage collector's line that follows them (each null, or 0 rows, when
    /// the line is missing: an older build has no collector line).
    /// </summary>
    internal static (long RowsRead, StageMillis? Stages, Collector? Gc) ParseWorkerLog(string output, string dataset)
    {
        long rowsRead = 0;
        StageMillis? stages = null;
        Collector? gc = null;
        var prefix = dataset + ": ";
        foreach (var line in output.Split('\n'))
        {
            var at = line.IndexOf(prefix, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var text = line[(at + prefix.Length)..];
            if (CountsLine().Match(text) is { Success: true } counts)
            {
                rowsRead = Long(counts, 1);
            }
            else if (StagesLine().Match(text) is { Success: true } s)
            {
                stages = new StageMillis(Long(s, 1), Long(s, 2), Long(s, 3), Long(s, 4));
            }
            else if (CollectorLine().Match(text) is { Success: true } g)
            {
                gc = new Collector((int)Long(g, 1), (int)Long(g, 2), (int)Long(g, 3), Long(g, 4), Long(g, 5));
            }
        }

        return (rowsRead, stages, gc);
    }

    /// <summary>The <c>version</c> of a published datapackage.json, or null when there is none.</summary>
    private static string? PublishedVersion(string dataPackage)
    {
        if (!File.Exists(dataPackage))
        {
            return null;
        }

        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(dataPackage));
        return document.RootElement.TryGetProperty("version", out var version) ? version.GetString() : null;
    }

    private static string? Sha256(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    [GeneratedRegex(@"max_file_bytes: *\d+")]
    private static partial Regex MaxFileBytes();

    [GeneratedRegex(@"max_rows: *\d+")]
    private static partial Regex MaxRows();

    [GeneratedRegex(@"(?m)^  formats: \[[^\]]*\].*$")]
    private static partial Regex Formats();

    [GeneratedRegex(@"^read (\d+) rows from .*, published (\d+), rejected (\d+)")]
    private static partial Regex CountsLine();

    [GeneratedRegex(@"^stage timings — read (\d+) ms, validate (\d+) ms, anonymise (\d+) ms, write (\d+) ms")]
    private static partial Regex StagesLine();

    [GeneratedRegex(@"^garbage collector since the process started — (\d+) gen0, (\d+) gen1, (\d+) gen2 collections, (\d+) ms paused, (\d+) MB allocated")]
    private static partial Regex CollectorLine();

    [GeneratedRegex(@"floor-job [\w+]+: (\d+) rows read")]
    private static partial Regex FloorRows();

    [GeneratedRegex(@"duckdb-job \w+: (\d+) rows")]
    private static partial Regex DuckDbRows();
}
