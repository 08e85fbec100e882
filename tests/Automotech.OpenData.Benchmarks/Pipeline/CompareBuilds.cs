using System.Globalization;
using System.Text;

namespace Automotech.OpenData.Benchmarks.Pipeline;

/// <summary>
/// Two builds of the Worker on the same source, in alternating pairs (candidate then baseline,
/// then baseline then candidate, ...), each run a child process measured as the
/// <c>pipeline</c> command measures ours. This machine's speed drifts by 30 % from one hour to
/// the next, so only runs side by side compare builds: the report gives each pair's difference
/// and their median, the pairs the candidate won, CPU, peaks, stage timings, and whether the
/// two builds published the same bytes.
/// </summary>
public static class CompareBuilds
{
    public static int Run(IReadOnlyDictionary<string, string> options, IReadOnlyList<string> environmentPairs)
    {
        if (!options.TryGetValue("baseline", out var baseline) || !File.Exists(baseline))
        {
            Console.Error.WriteLine($"error: --baseline must name another build's Worker dll (e.g. a `git worktree` of the previous commit, built in Release){(baseline is null ? "" : $"; not found: {baseline}")}.");
            return 2;
        }

        var candidate = options.GetValueOrDefault("worker", PipelineBenchmark.DefaultWorker());
        if (!File.Exists(candidate))
        {
            Console.Error.WriteLine($"error: the Worker is not built: {candidate} (dotnet build -c Release first, or --worker PATH).");
            return 1;
        }

        var rows = int.Parse(options.GetValueOrDefault("rows", "1000000"), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        var pairs = int.Parse(options.GetValueOrDefault("pairs", "5"), CultureInfo.InvariantCulture);
        var seed = int.Parse(options.GetValueOrDefault("seed", "42"), CultureInfo.InvariantCulture);
        var machine = MachineInfo.Describe(options.GetValueOrDefault("machine", Environment.MachineName));
        var builds = new[] { ("candidate", candidate), ("baseline", baseline) }
            .Select(b => (Name: b.Item1, Path: b.Item2, Commit: MachineInfo.GitCommit(Path.GetDirectoryName(Path.GetFullPath(b.Item2)))))
            .ToArray();
        var label = options.GetValueOrDefault("label", $"{builds[0].Commit}-vs-{builds[1].Commit}");
        var environment = PipelineBenchmark.WorkerEnvironment(environmentPairs);
        var formats = options.GetValueOrDefault("formats", "csv,parquet");
        var pipelines = PipelineBenchmark.PreparePipelines(formats);

        // A baseline older than a definition key the candidate's definition uses refuses it: it then
        // runs its own checkout's definition (--baseline-repository), prepared the same way.
        var baselinePipelines = options.TryGetValue("baseline-repository", out var baselineRepository)
            ? PipelineBenchmark.PreparePipelines(formats, baselineRepository, "pipelines-baseline")
            : pipelines;
        var source = Inputs.Source(rows, seed);

        Console.WriteLine($"Machine {machine.Name}: {machine.Cpu}, {machine.LogicalCores} cores; {machine.Dotnet}; candidate {builds[0].Commit}, baseline {builds[1].Commit}; {rows:N0} rows, {pairs} pairs");
        var results = new List<(int Pair, string Build, int Order, JobRun Run)>();
        for (var pair = 1; pair <= pairs; pair++)
        {
            var order = pair % 2 == 1 ? builds : [builds[1], builds[0]];
            for (var i = 0; i < order.Length; i++)
            {
                var run = PipelineBenchmark.RunWorker(order[i].Path, source, order[i].Name == "baseline" ? baselinePipelines : pipelines, environment, pair, options.GetValueOrDefault("batch-size"));
                results.Add((pair, order[i].Name, i, run));
                Console.WriteLine($"  pair {pair} {order[i].Name,-9} {run.WallSeconds,7:F2} s  cpu {run.CpuSeconds,7:F1} s  peak {run.PeakRssBytes / 1048576.0,5:F0} MiB  csv {run.CsvSha256?[..12]} parquet {run.ParquetSha256?[..12]}");
            }
        }

        var markdown = Report(machine, builds, rows, seed, formats, environmentPairs, results);
        var directory = options.GetValueOrDefault("results", Path.Combine(Inputs.RepositoryRoot, "benchmarks", "results", MachineInfo.FolderName(machine.Name)));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"compare-{rows}-{label}.md");
        File.WriteAllText(path, markdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"Written: {path}");
        return 0;
    }

    internal static string Report(
        MachineInfo machine,
        (string Name, string Path, string Commit)[] builds,
        int rows,
        int seed,
        string formats,
        IReadOnlyList<string> environmentPairs,
        List<(int Pair, string Build, int Order, JobRun Run)> results)
    {
        static string S(double? v, string format = "F2") => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "–";
        JobRun Of(int pair, string build) => results.Single(r => r.Pair == pair && r.Build == build).Run;
        var pairs = results.Select(r => r.Pair).Distinct().Order().ToList();
        var candidate = pairs.Select(p => Of(p, "candidate")).ToList();
        var baseline = pairs.Select(p => Of(p, "baseline")).ToList();
        var differences = pairs.Select(p => Of(p, "candidate").WallSeconds - Of(p, "baseline").WallSeconds).ToList();
        var cpuDifferences = pairs.Where(p => Of(p, "candidate").CpuSeconds is not null && Of(p, "baseline").CpuSeconds is not null)
            .Select(p => Of(p, "candidate").CpuSeconds!.Value - Of(p, "baseline").CpuSeconds!.Value).ToList();

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Two builds side by side, {rows:N0} rows");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine `{machine.Name}`: {machine.Cpu}, {machine.LogicalCores} logical cores; {machine.Os}; {machine.Dotnet}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Candidate: the build of commit `{builds[0].Commit}`; baseline: the build of commit `{builds[1].Commit}`. Source: {rows:N0} generated rows (seed {seed}); our job writes {formats}{(environmentPairs.Count > 0 ? $"; environment {string.Join(", ", environmentPairs.Select(e => $"`{e}`"))}" : "")}.");
        text.AppendLine();
        text.AppendLine("Each pair runs both builds one after the other, the candidate first in odd pairs and the baseline first in even ones; wall time and peak as `pipeline` measures them (a child process, GNU time), CPU = user + system.");
        text.AppendLine();
        text.AppendLine("| pair | candidate (s) | baseline (s) | difference (s) | candidate CPU (s) | baseline CPU (s) | candidate peak (MiB) | baseline peak (MiB) | candidate stages (ms) | baseline stages (ms) | candidate GC paused (ms) | baseline GC paused (ms) |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|");
        foreach (var p in pairs)
        {
            var (c, b) = (Of(p, "candidate"), Of(p, "baseline"));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {p} | {S(c.WallSeconds)} | {S(b.WallSeconds)} | {S(c.WallSeconds - b.WallSeconds, "+0.00;-0.00;0.00")} | {S(c.CpuSeconds, "F1")} | {S(b.CpuSeconds, "F1")} | {c.PeakRssBytes >> 20} | {b.PeakRssBytes >> 20} | {Stages(c.Stages)} | {Stages(b.Stages)} | {Paused(c.Gc)} | {Paused(b.Gc)} |");
        }

        text.AppendLine();
        var faster = differences.Count(d => d < 0);
        text.AppendLine(CultureInfo.InvariantCulture, $"- Median wall: candidate **{S(PipelineReport.Median(candidate.Select(r => r.WallSeconds)))} s**, baseline **{S(PipelineReport.Median(baseline.Select(r => r.WallSeconds)))} s**; median of the pairs' differences **{S(PipelineReport.Median(differences), "+0.00;-0.00;0.00")} s** ({S(100 * PipelineReport.Median(differences) / PipelineReport.Median(baseline.Select(r => r.WallSeconds)), "+0.0;-0.0;0.0")} % of the baseline's median); the candidate was faster in {faster} of {differences.Count} pairs.");
        if (cpuDifferences.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- Median CPU: candidate {S(PipelineReport.Median(candidate.Select(r => r.CpuSeconds ?? 0)), "F1")} s, baseline {S(PipelineReport.Median(baseline.Select(r => r.CpuSeconds ?? 0)), "F1")} s; median of the pairs' differences {S(PipelineReport.Median(cpuDifferences), "+0.0;-0.0;0.0")} s.");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"- Median peak: candidate {PipelineReport.Median(candidate.Select(r => (double)(r.PeakRssBytes >> 20))):F0} MiB, baseline {PipelineReport.Median(baseline.Select(r => (double)(r.PeakRssBytes >> 20))):F0} MiB.");
        // The Parquet embeds the version (the Paris date of the run): runs on either side of
        // midnight in Paris are compared version by version.
        var versions = candidate.Concat(baseline).Select(r => r.Version).Distinct().ToList();
        var parquet = versions.Count < 2 || versions.Contains(null)
            ? Outputs("Parquet", candidate.Select(r => r.ParquetSha256), baseline.Select(r => r.ParquetSha256))
            : string.Join("; ", versions.Select(v => Outputs($"Parquet of version {v}", candidate.Where(r => r.Version == v).Select(r => r.ParquetSha256), baseline.Where(r => r.Version == v).Select(r => r.ParquetSha256))))
                + " (the runs straddled midnight in Paris, and the Parquet embeds the version)";
        text.AppendLine(CultureInfo.InvariantCulture, $"- Outputs: {Outputs("CSV", candidate.Select(r => r.CsvSha256), baseline.Select(r => r.CsvSha256))}; {parquet}.");
        return text.ToString();
    }

    private static string Stages(StageMillis? s) => s is null ? "–" : $"{s.Read} / {s.Validate} / {s.Anonymise} / {s.Write}";

    // A build older than the Worker's collector line has none: "–".
    private static string Paused(Collector? gc) => gc is null ? "–" : gc.PausedMs.ToString(CultureInfo.InvariantCulture);

    private static string Outputs(string format, IEnumerable<string?> candidate, IEnumerable<string?> baseline)
    {
        var (c, b) = (candidate.Distinct().ToList(), baseline.Distinct().ToList());
        if (c.Count == 0 || b.Count == 0)
        {
            return $"{format}: by one build only, {(c.Count == 0 ? "the baseline" : "the candidate")}'s ({(c.Count + b.Count == 1 ? "identical across its runs" : "**not identical across its runs**")})";
        }

        return c.Count == 1 && b.Count == 1
            ? c[0] == b[0]
                ? $"{format} byte-identical across every run of both builds (`{c[0]?[..16]}…`)"
                : $"{format} identical across each build's runs, but **different between the builds** (`{c[0]?[..16]}…` against `{b[0]?[..16]}…`)"
            : $"{format} **not identical across runs** (candidate {c.Count}, baseline {b.Count} distinct files)";
    }
}
