using Automotech.OpenData.Benchmarks;
using Automotech.OpenData.Benchmarks.Pipeline;
using Automotech.OpenData.Benchmarks.Stages;
using BenchmarkDotNet.Running;

// Verbs: `stages [BenchmarkDotNet args]` (micro-benchmarks of each stage), `pipeline [...]` (the
// whole Worker against DuckDB, child processes), `duckdb-job` (one DuckDB job, run by `pipeline`),
// `floor-job` (DuckDB's projection done by our reader and writers alone, run by `pipeline --floor`),
// `compare` (two builds of the Worker in alternating pairs).
const string Usage = """
    Usage:
      stages [--filter *Reader*] [other BenchmarkDotNet options]   (all of them by default)
      pipeline [--rows 1000000,10000000] [--runs 3] [--seed 42] [--machine NAME] [--label TEXT]
               [--env KEY=VALUE ...] [--batch-size N] [--duckdb-threads N] [--skip-duckdb]
               [--worker PATH] [--results DIR] [--floor]
      compare --baseline PATH [--worker PATH] [--rows 1000000] [--pairs 5] [--seed 42] [--machine NAME]
              [--label TEXT] [--env KEY=VALUE ...] [--batch-size N] [--formats csv,parquet] [--results DIR]
              [--baseline-repository DIR]   (the baseline runs that checkout's pipelines/acteurs)
      duckdb-job --kind full|projection --source CSV --output PARQUET [--threads N] [--reference DIR]
      floor-job --source CSV --output DIR [--write csv,parquet|csv|parquet|zstd|none|strings|spans|bytes|bytes-csv|bytes-parquet|bytes-none] [--batch-size N]
      generate --rows N [--seed S]   (writes the cached source and prints its path)
    """;

if (args.Length == 0)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

switch (args[0])
{
    case "stages":
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(StageData).Assembly).Run(args.Length > 1 ? args[1..] : ["--filter", "*"], new StageConfig());
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    case "pipeline":
    case "compare":
    case "duckdb-job":
    case "floor-job":
    case "generate":
        var (options, environment) = Parse(args[1..]);
        if (options is null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        if (args[0] == "generate")
        {
            Console.WriteLine(Inputs.Source(int.Parse(options["rows"], System.Globalization.CultureInfo.InvariantCulture), int.Parse(options.GetValueOrDefault("seed", "42"), System.Globalization.CultureInfo.InvariantCulture)));
            return 0;
        }

        return args[0] switch
        {
            "pipeline" => PipelineBenchmark.Run(options, environment),
            "compare" => CompareBuilds.Run(options, environment),
            "floor-job" => await FloorJob.RunAsync(options),
            _ => DuckDbJob.Run(options),
        };
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}

// --name value pairs; --skip-duckdb and --floor alone; --env repeats.
static (Dictionary<string, string>? Options, List<string> Environment) Parse(string[] args)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    var environment = new List<string>();
    for (var i = 0; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal))
        {
            return (null, environment);
        }

        var name = args[i][2..];
        if (name is "skip-duckdb" or "floor")
        {
            options[name] = "true";
            continue;
        }

        if (i + 1 >= args.Length)
        {
            return (null, environment);
        }

        if (name == "env")
        {
            if (!args[i + 1].Contains('=', StringComparison.Ordinal))
            {
                return (null, environment);
            }

            environment.Add(args[++i]);
        }
        else
        {
            options[name] = args[++i];
        }
    }

    return (options, environment);
}
