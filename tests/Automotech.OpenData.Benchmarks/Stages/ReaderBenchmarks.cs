using BenchmarkDotNet.Attributes;

namespace Automotech.OpenData.Benchmarks.Stages;

/// <summary>
/// The CSV source: bytes of a generated export to batches of text cells, as strings (the
/// pipeline's) or as UTF-8 bytes (<see cref="Utf8Batch"/>, the floor without strings').
/// </summary>
[Config(typeof(StageConfig))]
public class ReaderBenchmarks
{
    private StageData data = null!;

    [Params(100_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup() => data = StageData.For(Rows);

    [Benchmark]
    public async Task<long> Read()
    {
        var sink = new CountingSink();
        var source = data.NewSource();
        long rows = 0;
        await foreach (var batch in source.ReadAsync(sink, CancellationToken.None))
        {
            rows += batch.Count;
        }

        return rows;
    }

    [Benchmark]
    public async Task<long> ReadUtf8()
    {
        var sink = new CountingSink();
        var source = data.NewSource();
        long rows = 0;
        await foreach (var batch in source.ReadUtf8Async(sink, CancellationToken.None))
        {
            rows += batch.Count;
        }

        return rows;
    }
}
