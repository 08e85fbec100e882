using Automotech.OpenData.Writers;
using BenchmarkDotNet.Attributes;

namespace Automotech.OpenData.Benchmarks.Stages;

/// <summary>
/// Each dataset writer: published batches to a file (CSV, Parquet zstd with dictionaries,
/// GeoJSON points), and to Hive-partitioned Parquet (one part per département, as
/// <c>outputs.partition_by: code_departement</c> writes them); CSV and Parquet also from the
/// same batches as UTF-8 bytes (<see cref="Utf8Column"/>), their byte paths.
/// </summary>
[Config(typeof(StageConfig))]
public class WriterBenchmarks
{
    private StageData data = null!;
    private string directory = "";
    private List<Utf8Column[]> published = [];

    [Params(100_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        data = StageData.For(Rows);
        directory = Directory.CreateTempSubdirectory("automotech-bench-").FullName;
        published = [.. data.Published.Select(ToUtf8)];
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
        await WriteAllAsync(new GeoJsonDatasetWriter(path, data.Pipeline.Schema, outputs.LatitudeField, outputs.LongitudeField));
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

    [Benchmark]
    public async Task<long> CsvUtf8()
    {
        var path = Path.Combine(directory, "acteurs.csv");
        await using (var writer = new CsvDatasetWriter(path, data.Pipeline.Schema))
        {
            foreach (var columns in published)
            {
                await writer.WriteAsync(columns, CancellationToken.None);
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        return new FileInfo(path).Length;
    }

    [Benchmark]
    public async Task<long> ParquetUtf8()
    {
        var path = Path.Combine(directory, "acteurs.parquet");
        await using (var writer = await ParquetDatasetWriter.CreateAsync(path, data.Pipeline.Schema, Metadata(), CancellationToken.None))
        {
            foreach (var columns in published)
            {
                await writer.WriteAsync(columns, CancellationToken.None);
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        return new FileInfo(path).Length;
    }

    /// <summary>A published batch's cells as UTF-8, in the schema's order (what the writers' byte paths take).</summary>
    private Utf8Column[] ToUtf8(ColumnBatch batch) =>
        [
            .. data.Pipeline.Schema.FieldNames.Select(name =>
            {
                var index = batch.IndexOf(name);
                var column = new Utf8Column(Math.Max(1, batch.Count));
                for (var row = 0; row < batch.Count; row++)
                {
                    if (batch.Get(row, index) is { } value)
                    {
                        column.Add(System.Text.Encoding.UTF8.GetBytes(value));
                    }
                    else
                    {
                        column.AddNull();
                    }
                }

                return column;
            }),
        ];

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
