using Automotech.OpenData.Writers;
using BenchmarkDotNet.Attributes;

namespace Automotech.OpenData.Benchmarks.Stages;

/// <summary>Each dataset writer: published batches to a file (CSV, Parquet zstd with dictionaries).</summary>
[Config(typeof(StageConfig))]
public class WriterBenchmarks
{
    private StageData data = null!;
    private string directory = "";

    [Params(100_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        data = StageData.For(Rows);
        directory = Directory.CreateTempSubdirectory("automotech-bench-").FullName;
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(directory, recursive: true);

    [Benchmark]
    public async Task<long> Csv()
    {
        var path = Path.Combine(directory, "acteurs.csv");
        await using (var writer = new CsvDatasetWriter(path, data.Pipeline.Schema))
        {
            foreach (var batch in data.Published)
            {
                await writer.WriteAsync(batch, CancellationToken.None);
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        return new FileInfo(path).Length;
    }

    [Benchmark]
    public async Task<long> Parquet()
    {
        var path = Path.Combine(directory, "acteurs.parquet");
        var metadata = new Dictionary<string, string> { ["dataset"] = "acteurs", ["version"] = "benchmark" };
        await using (var writer = await ParquetDatasetWriter.CreateAsync(path, data.Pipeline.Schema, metadata, CancellationToken.None))
        {
            foreach (var batch in data.Published)
            {
                await writer.WriteAsync(batch, CancellationToken.None);
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        return new FileInfo(path).Length;
    }
}
