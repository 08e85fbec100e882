using Automotech.OpenData.Benchmarks.Pipeline;

namespace Automotech.OpenData.Benchmarks.Tests;

/// <summary>
/// What the benchmark commands compute, apart from the timings themselves: the figures they read
/// in the Worker's log (a changed log line would otherwise leave blanks in the results without a
/// word), and how <c>compare</c> sums its pairs up.
/// </summary>
public class BenchmarkToolingTests
{
    [Fact]
    public void The_log_of_each_dataset_gives_its_rows_stages_and_collector_line()
    {
        const string log = """
            21:04:26 info: Automotech.OpenData[1] acteurs: read 2000 rows from /tmp/a.csv, published 1960, rejected 40 (96 natural persons anonymised, 0 withheld by k-anonymity).
            21:04:26 info: Automotech.OpenData[2] acteurs: stage timings — read 12 ms, validate 34 ms, anonymise 56 ms, write 78 ms (writing overlaps the other stages).
            21:04:26 info: Automotech.OpenData[3] acteurs: garbage collector since the process started — 5 gen0, 4 gen1, 3 gen2 collections, 21 ms paused, 99 MB allocated.
            21:04:27 info: Automotech.OpenData[1] sirene-automobile: read 7 rows from /tmp/s.csv, published 7, rejected 0 (0 natural persons anonymised, 0 withheld by k-anonymity).
            21:04:27 info: Automotech.OpenData[2] sirene-automobile: stage timings — read 1 ms, validate 2 ms, anonymise 3 ms, write 4 ms (writing overlaps the other stages).
            """;

        var (rows, stages, gc) = PipelineBenchmark.ParseWorkerLog(log, "acteurs");
        Assert.Equal(2000, rows);
        Assert.Equal(new StageMillis(12, 34, 56, 78), stages);
        Assert.Equal(new Collector(5, 4, 3, 21, 99), gc);
        Assert.Equal(12, gc!.Collections);

        // A dataset's own lines only; an older build has no collector line.
        var (sireneRows, sireneStages, sireneGc) = PipelineBenchmark.ParseWorkerLog(log, "sirene-automobile");
        Assert.Equal((7L, new StageMillis(1, 2, 3, 4), (Collector?)null), (sireneRows, sireneStages, sireneGc));
    }

    [Fact]
    public void The_real_Worker_logs_what_the_benchmark_reads()
    {
        // The Worker this solution builds, on a small generated source, as `pipeline` and
        // `compare` run it: every figure they report must come out of its log.
        var worker = PipelineBenchmark.DefaultWorker();
        Assert.True(File.Exists(worker), $"the Worker is not built: {worker}");
        var run = PipelineBenchmark.RunWorker(
            worker, Inputs.Source(2_000, seed: 7), PipelineBenchmark.PreparePipelines("csv,parquet"), PipelineBenchmark.WorkerEnvironment([]), 1, batchSize: null);

        Assert.Equal(2_000, run.RowsRead);
        Assert.NotNull(run.Stages);
        Assert.True(run.Stages.Read + run.Stages.Validate + run.Stages.Anonymise + run.Stages.Write > 0);
        Assert.NotNull(run.Gc);
        Assert.True(run.Gc.AllocatedMb > 0);
        Assert.Matches("^[0-9a-f]{64}$", run.CsvSha256);
        Assert.Matches("^[0-9a-f]{64}$", run.ParquetSha256);
        Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", run.Version); // what the Parquet embeds
    }

    [Fact]
    public void Compare_gives_the_median_of_the_pairs_differences_the_pairs_won_and_whether_the_bytes_agree()
    {
        var machine = new MachineInfo("test", "cpu", 2, 0, "os", ".NET", "", "");
        (string, string, string)[] builds = [("candidate", "c.dll", "aaaaaaa"), ("baseline", "b.dll", "bbbbbbb")];
        JobRun Run(double wall, string csv) => new("worker publish", 1, wall, 200L << 20, 1_000, csv, new string('e', 64), new StageMillis(1, 2, 3, 4), wall + 5, new Collector(1, 1, 0, 10, 50));

        // Pairs: candidate 10 vs 11, 12 vs 11, 9 vs 10 (the order alternates): differences −1, +1, −1.
        var same = new string('a', 64);
        var results = new List<(int, string, int, JobRun)>
        {
            (1, "candidate", 0, Run(10, same)), (1, "baseline", 1, Run(11, same)),
            (2, "baseline", 0, Run(11, same)), (2, "candidate", 1, Run(12, same)),
            (3, "candidate", 0, Run(9, same)), (3, "baseline", 1, Run(10, same)),
        };
        var report = CompareBuilds.Report(machine, builds, 1_000, 42, "csv,parquet", [], results);
        Assert.Contains("median of the pairs' differences **-1.00 s**", report, StringComparison.Ordinal);
        Assert.Contains("the candidate was faster in 2 of 3 pairs", report, StringComparison.Ordinal);
        Assert.Contains("CSV byte-identical across every run of both builds", report, StringComparison.Ordinal);
        Assert.Contains("| 2 | 12.00 | 11.00 | +1.00 |", report, StringComparison.Ordinal);

        // Different CSV bytes between the builds are said, not hidden.
        results[1] = (1, "baseline", 1, Run(11, new string('b', 64)));
        results[2] = (2, "baseline", 0, Run(11, new string('b', 64)));
        results[5] = (3, "baseline", 1, Run(10, new string('b', 64)));
        Assert.Contains("**different between the builds**", CompareBuilds.Report(machine, builds, 1_000, 42, "csv,parquet", [], results), StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_gives_each_floor_against_DuckDBs_projection()
    {
        var machine = new MachineInfo("test", "cpu", 2, 0, "os", ".NET", "", "");
        JobRun Job(string job, double wall) => new(job, 1, wall, 100L << 20, 1_000, null, null, null);
        List<JobRun> results =
        [
            new("worker publish", 1, 20, 200L << 20, 1_000, new string('a', 64), new string('e', 64), null),
            Job(PipelineBenchmark.DuckDbProjection, 2),
            Job(PipelineBenchmark.Floor, 4.4),
            Job(PipelineBenchmark.FloorBytes, 3.2),
        ];
        var markdown = new PipelineReport(machine, 1_000, 1, "", "csv,parquet", [], results).Markdown();
        Assert.Contains("Ours / DuckDB projection-only: **10.0×**", markdown, StringComparison.Ordinal);
        Assert.Contains("no other stage) / DuckDB projection-only: **2.2×**", markdown, StringComparison.Ordinal);
        Assert.Contains("no string per cell) / DuckDB projection-only: **1.6×**", markdown, StringComparison.Ordinal);
        Assert.Contains("the floor, the floor on bytes, then again", markdown, StringComparison.Ordinal);

        // Without the floor jobs (no --floor), neither line is written.
        var bare = new PipelineReport(machine, 1_000, 1, "", "csv,parquet", [], results[..2]).Markdown();
        Assert.DoesNotContain("alone", bare, StringComparison.Ordinal);
        Assert.DoesNotContain("no string per cell", bare, StringComparison.Ordinal);
    }

    [Fact]
    public void Runs_on_either_side_of_midnight_in_Paris_compare_their_Parquet_version_by_version()
    {
        // A series started at 22:59 UTC on 2026-11-27: its first run published version 2026-11-27,
        // the others 2026-11-28, each Parquet embedding its version. The report said "NO".
        var machine = new MachineInfo("test", "cpu", 2, 0, "os", ".NET", "", "");
        var csv = new string('a', 64);
        var (before, after) = (new string('5', 64), new string('1', 64));
        JobRun Ours(int run, string parquet, string version) => new("worker publish", run, 15, 200L << 20, 1_000, csv, parquet, null, Version: version);

        List<JobRun> straddling = [Ours(1, before, "2026-11-27"), Ours(2, after, "2026-11-28"), Ours(3, after, "2026-11-28")];
        var markdown = new PipelineReport(machine, 1_000, 3, "", "csv,parquet", [], straddling).Markdown();
        Assert.Contains($"Byte-identical outputs across our runs: yes, 3 runs: CSV sha256 `{csv}`; the Parquet, which embeds the version (the Paris date of the run), compared per version, the runs having straddled midnight in Paris: 2026-11-27 `{before}`; 2026-11-28 `{after}`.", markdown, StringComparison.Ordinal);

        // Two Parquet files of one version are still a difference.
        List<JobRun> differing = [Ours(1, before, "2026-11-28"), Ours(2, after, "2026-11-28")];
        Assert.Contains("Byte-identical outputs across our runs: **NO**", new PipelineReport(machine, 1_000, 2, "", "csv,parquet", [], differing).Markdown(), StringComparison.Ordinal);

        // compare: the same, per version.
        (string, string, string)[] builds = [("candidate", "c.dll", "aaaaaaa"), ("baseline", "b.dll", "bbbbbbb")];
        var results = new List<(int, string, int, JobRun)>
        {
            (1, "candidate", 0, Ours(1, before, "2026-11-27")), (1, "baseline", 1, Ours(1, before, "2026-11-27")),
            (2, "baseline", 0, Ours(2, after, "2026-11-28")), (2, "candidate", 1, Ours(2, after, "2026-11-28")),
        };
        var report = CompareBuilds.Report(machine, builds, 1_000, 42, "csv,parquet", [], results);
        Assert.Contains("Parquet of version 2026-11-27 byte-identical across every run of both builds", report, StringComparison.Ordinal);
        Assert.Contains("Parquet of version 2026-11-28 byte-identical across every run of both builds", report, StringComparison.Ordinal);
        Assert.DoesNotContain("not identical", report, StringComparison.Ordinal);
    }
}
