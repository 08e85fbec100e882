using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Automotech.OpenData.Benchmarks.Pipeline;

/// <summary>The results of one size, as markdown (for people) and JSON (for tools), per machine.</summary>
/// <param name="otherWorker">With <c>--worker</c>: the build that ran as ours, when it is not this commit's.</param>
public sealed class PipelineReport(MachineInfo machine, int rows, int runs, string label, string formats, IReadOnlyList<string> environment, IReadOnlyList<JobRun> results, string? otherWorker = null)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public DateTimeOffset When { get; } = DateTimeOffset.UtcNow;

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public (string Markdown, string Json) Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var name = $"pipeline-{rows}" + (label.Length > 0 ? "-" + MachineInfo.FolderName(label) : "");
        var markdownPath = Path.Combine(directory, name + ".md");
        var jsonPath = Path.Combine(directory, name + ".json");
        File.WriteAllText(markdownPath, Markdown());
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(new
        {
            machine,
            when = When,
            rows,
            runs,
            label,
            formats,
            environment,
            worker = otherWorker,
            medians = Jobs().Select(j => new { job = j, wallSeconds = MedianWall(j), peakRssMiB = MedianPeak(j), rowsPerSecond = Median(Of(j).Select(r => r.RowsPerSecond)) }),
            ratios = new
            {
                wallVsDuckDbProjection = Ratio(DuckDbWall(PipelineBenchmark.DuckDbProjection)),
                wallVsDuckDbFull = Ratio(DuckDbWall(PipelineBenchmark.DuckDbFull)),
                floorVsDuckDbProjection = FloorRatio(),
                floorBytesVsDuckDbProjection = FloorRatio(PipelineBenchmark.FloorBytes),
            },
            identicalOutputs = Identical(),
            results,
        }, Json) + "\n");
        return (markdownPath, jsonPath);
    }

    public string Markdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"# Whole pipeline, {rows:N0} rows{(label.Length > 0 ? $" ({label})" : "")}");
        text.AppendLine();
        text.AppendLine(inv, $"Machine `{machine.Name}`: {machine.Cpu}, {machine.LogicalCores} logical cores, {machine.MemoryBytes / (1 << 30)} GiB RAM; {machine.Os}; {machine.Dotnet}; DuckDB {machine.DuckDb}; commit `{machine.Commit}`; {When:yyyy-MM-dd HH:mm} UTC.");
        text.AppendLine(inv, $"Our job writes: {formats} (the committed pipeline's other settings unchanged).");
        if (environment.Count > 0)
        {
            text.AppendLine(inv, $"Worker environment: `{string.Join(" ", environment)}`.");
        }

        if (otherWorker is not null)
        {
            text.AppendLine(inv, $"Worker: {otherWorker} (`--worker`), not the build of the commit above.");
        }

        text.AppendLine();
        text.AppendLine(inv, $"Medians of {runs} run(s), each job a child process, run side by side (ours, DuckDB full, DuckDB projection{(Of(PipelineBenchmark.Floor).Any() ? ", the floor" : "")}{(Of(PipelineBenchmark.FloorBytes).Any() ? ", the floor on bytes" : "")}, then again). Peak = the child's maximum resident set size ({PeakMethod()}).");
        text.AppendLine();
        text.AppendLine("| job | median wall (s) | rows/s | median peak RSS (MiB) | runs (s) | runs peak (MiB) |");
        text.AppendLine("|---|---:|---:|---:|---|---|");
        foreach (var job in Jobs())
        {
            var of = Of(job).ToList();
            text.AppendLine(inv, $"| {job} | {MedianWall(job):F1} | {Median(of.Select(r => r.RowsPerSecond)):N0} | {MedianPeak(job):F0} | {string.Join(", ", of.Select(r => r.WallSeconds.ToString("F1", inv)))} | {string.Join(", ", of.Select(r => (r.PeakRssBytes / 1048576.0).ToString("F0", inv)))} |");
        }

        text.AppendLine();
        if (Ratio(DuckDbWall(PipelineBenchmark.DuckDbProjection)) is { } projection)
        {
            text.AppendLine(inv, $"- Ours / DuckDB projection-only: **{projection:F1}×** the time (target ≤ 1.5×); ours / DuckDB full job: **{Ratio(DuckDbWall(PipelineBenchmark.DuckDbFull)):F1}×**.");
        }

        if (FloorRatio() is { } floor)
        {
            text.AppendLine(inv, $"- Our reader and writers alone (DuckDB's projection with CsvHelper and our Parquet writer, no other stage) / DuckDB projection-only: **{floor:F1}×**: the floor of any pipeline built on them.");
        }

        if (FloorRatio(PipelineBenchmark.FloorBytes) is { } floorBytes)
        {
            text.AppendLine(inv, $"- The same on UTF-8 bytes (the library's byte paths, no string per cell) / DuckDB projection-only: **{floorBytes:F1}×**: the floor of a pipeline without a string per cell.");
        }

        text.AppendLine(inv, $"- Peak memory, ours: **{MedianPeak(PipelineBenchmark.Ours):F0} MiB** (target ≤ 300 MB, the same at 10M rows as at 1M).");
        var stages = Of(PipelineBenchmark.Ours).Where(r => r.Stages is not null).Select(r => r.Stages!).ToList();
        if (stages.Count > 0)
        {
            text.AppendLine(inv, $"- Worker stage timings (median ms): read {Median(stages.Select(s => (double)s.Read)):F0}, validate {Median(stages.Select(s => (double)s.Validate)):F0}, anonymise (incl. published-schema validation) {Median(stages.Select(s => (double)s.Anonymise)):F0}, write (CSV + Parquet, overlapping the next batch's stages) {Median(stages.Select(s => (double)s.Write)):F0}.");
        }

        var gc = Of(PipelineBenchmark.Ours).Where(r => r.Gc is not null).Select(r => r.Gc!).ToList();
        if (gc.Count > 0)
        {
            text.AppendLine(inv, $"- Worker garbage collector (medians): {Median(gc.Select(g => (double)g.Collections)):F0} collections ({Median(gc.Select(g => (double)g.Gen0)):F0} gen0, {Median(gc.Select(g => (double)g.Gen1)):F0} gen1, {Median(gc.Select(g => (double)g.Gen2)):F0} gen2), {Median(gc.Select(g => (double)g.PausedMs)):F0} ms paused, {Median(gc.Select(g => (double)g.AllocatedMb)):F0} MB allocated.");
        }

        text.AppendLine(inv, $"- Byte-identical outputs across our runs: {Identical()}.");
        return text.ToString();
    }

    private string PeakMethod() => results.Count > 0 && File.Exists("/usr/bin/time") ? "ru_maxrss via GNU time" : "VmHWM polled every 10 ms";

    private IEnumerable<string> Jobs() => results.Select(r => r.Job).Distinct();

    private IEnumerable<JobRun> Of(string job) => results.Where(r => r.Job == job);

    private double MedianWall(string job) => Median(Of(job).Select(r => r.WallSeconds));

    private double MedianPeak(string job) => Median(Of(job).Select(r => r.PeakRssBytes / 1048576.0));

    private double? DuckDbWall(string job) => Of(job).Any() ? MedianWall(job) : null;

    private double? FloorRatio(string job = PipelineBenchmark.Floor) =>
        Of(job).Any() && DuckDbWall(PipelineBenchmark.DuckDbProjection) is { } projection ? MedianWall(job) / projection : null;

    private double? Ratio(double? baseline) => baseline is { } b ? MedianWall(PipelineBenchmark.Ours) / b : null;

    private string Identical()
    {
        var ours = Of(PipelineBenchmark.Ours).ToList();
        if (ours.Count < 2)
        {
            return "not checked (one run)";
        }

        var csv = ours.Select(r => r.CsvSha256).Distinct().ToList();
        var parquet = ours.Select(r => r.ParquetSha256).Distinct().ToList();
        if (csv.Count == 1 && parquet.Count == 1 && csv[0] is not null)
        {
            return $"yes, {ours.Count} runs: CSV sha256 `{csv[0]}`, Parquet sha256 `{parquet[0]}`";
        }

        // The Parquet embeds the version, named after the run's Paris date: runs on either side of
        // midnight in Paris publish two versions, each its own Parquet. Compared version by version.
        var byVersion = ours.GroupBy(r => r.Version).Select(g => (Version: g.Key, Parquet: g.Select(r => r.ParquetSha256).Distinct().ToList())).ToList();
        if (csv.Count == 1 && csv[0] is not null && byVersion.Count > 1 && byVersion.All(v => v.Version is not null && v.Parquet.Count == 1))
        {
            return $"yes, {ours.Count} runs: CSV sha256 `{csv[0]}`; the Parquet, which embeds the version (the Paris date of the run), compared per version, the runs having straddled midnight in Paris: "
                + string.Join("; ", byVersion.Select(v => $"{v.Version} `{v.Parquet[0]}`"));
        }

        return $"**NO**: CSV {string.Join(", ", csv)}; Parquet {string.Join(", ", parquet)}";
    }
}
