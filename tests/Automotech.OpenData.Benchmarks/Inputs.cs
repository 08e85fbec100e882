using Automotech.OpenData.DemoData;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Benchmarks;

/// <summary>
/// Where the benchmarks find the repository, and the generated sources they read: fictional CRM
/// exports from <see cref="DemoActorGenerator"/> (the Worker's <c>generate</c> verb), cached under
/// <c>benchmarks/cache/</c> (git-ignored) because a 10-million-row file takes a minute to write.
/// </summary>
public static class Inputs
{
    /// <summary>Not a secret: a fixed key for fictional data, so that runs hash the same.</summary>
    public const string BenchmarkKey = "benchmark-only-public-key-not-a-secret-0001";

    public static string RepositoryRoot { get; } = FindRoot();

    public static string CacheDirectory => Path.Combine(RepositoryRoot, "benchmarks", "cache");

    public static PipelineDefinition Acteurs() => PipelineLoader.Load(Path.Combine(RepositoryRoot, "pipelines", "acteurs"));

    /// <summary>The cached source of <paramref name="rows"/> rows, written once (atomically) when missing.</summary>
    public static string Source(int rows, int seed = 42)
    {
        var path = Path.Combine(CacheDirectory, $"acteurs-{rows}-{seed}.csv");
        if (File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(CacheDirectory);
        var partial = path + ".partial";
        using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            DemoActorGenerator.Write(stream, rows, seed);
        }

        File.Move(partial, path, overwrite: true);
        return path;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Automotech.OpenData.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Automotech.OpenData.sln not found above {AppContext.BaseDirectory}: run the benchmarks from their build output inside the repository.");
    }
}

/// <summary>Counts rejected rows and warnings, keeps nothing: the stage benchmarks measure the stage, not a quarantine.</summary>
public sealed class CountingSink : IRejectedRowSink
{
    public long Rejected { get; private set; }

    public long Warnings { get; private set; }

    public void Reject(RejectedRow row) => Rejected++;

    public void Warn(RowError warning) => Warnings++;
}
