using Automotech.OpenData.Writers;
using BenchmarkDotNet.Attributes;

namespace Automotech.OpenData.Benchmarks.Stages;

/// <summary>
/// Each dataset writer: published batches to a file (CSV, Parquet zstd with dictionaries,
/// GeoJSON points), and to Hive-partitioned Parquet (one part per département, as
/// <c>outputs.partition_by: code_departement</c> writes them).
/// </summary>
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

    [Benchmark]
    public async Task<long> GeoJson()
    {
        var path = Path.Combine(directory, "acteurs.geojson");
        var outputs = data.Pipeline.Outputs;
        await using (var writer = new GeoJsonDatasetWriter(path, data.Pipeline.Schema, outputs.Latitude, outputs.Longitude))
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
    public async Task<long> PartitionedParquet()
    {
        var target = Path.Combine(directory, "partitioned");
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        var metadata = new Dictionary<string, string> { ["dataset"] = "acteurs", ["version"] = "benchmark" };
        await using (var writer = new PartitionedParquetWriter(target, "acteurs", data.Pipeline.Schema, "code_departement", maxPartitions: 200, metadata))
        {
            foreach (var batch in data.Published)
            {
                await writer.WriteAsync(batch, CancellationToken.None);
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        return Directory.EnumerateFiles(target, "*.parquet", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
    }
}
