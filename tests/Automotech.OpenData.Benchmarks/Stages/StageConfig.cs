using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Automotech.OpenData.Benchmarks.Stages;

/// <summary>
/// In-process (no generated project to build under the repository's strict settings), short
/// runs (a stage over 100,000 rows takes around a second), allocations measured.
/// </summary>
public sealed class StageConfig : ManualConfig
{
    public StageConfig()
    {
        AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("InProcess"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddExporter(MarkdownExporter.GitHub);
        AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default);
        AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance);
        ArtifactsPath = Path.Combine(Inputs.CacheDirectory, "BenchmarkDotNet.Artifacts");
    }
}
