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
        await WriteAllAsync(new CsvDatasetWriter(path, data.Pipeline.Schema));
        return new FileInfo(path).Length;
    }

    [Benchmark]
    public async Task<long> Parquet()
    {
        var path = Path.Combine(directory, "acteurs.parquet");
        await WriteAllAsync(await ParquetDatasetWriter.CreateAsync(path, data.Pipeline.Schema, Metadata(), CancellationToken.None));
        return new FileInfo(path).Length;
    }

    [Benchmark]
    public async Task<long> GeoJson()
    {
        var path = Path.Combine(directory, "acteurs.geojson");
        var outputs = data.Pipeline.Outputs;
        await WriteAllAsync(new GeoJsonDatasetWriter(path, data.Pipeline.Schema, outputs.Latitude, outputs.Longitude));
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

        await WriteAllAsync(new PartitionedParquetWriter(target, "acteurs", data.Pipeline.Schema, "code_departement", maxPartitions: 200, Metadata()));
        return Directory.EnumerateFiles(target, "*.parquet", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
    }

    private static Dictionary<string, string> Metadata() => new() { ["dataset"] = "acteurs", ["version"] = "benchmark" };

    /// <summary>Every published batch through <paramref name="writer"/>, then its end, then disposal (what closes the file).</summary>
    private async Task WriteAllAsync(IDatasetWriter writer)
    {
        await using (writer)
        {
            foreach (var batch in data.Published)
            {
                await writer.WriteAsync(batch, CancellationToken.None);
            }

            await writer.CompleteAsync(CancellationToken.None);
        }
    }
}
