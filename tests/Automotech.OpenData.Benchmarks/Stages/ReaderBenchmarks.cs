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
    public Task<long> Read() => CountAsync(data.NewSource().ReadAsync(new CountingSink(), CancellationToken.None), batch => batch.Count);

    [Benchmark]
    public Task<long> ReadUtf8() => CountAsync(data.NewSource().ReadUtf8Async(new CountingSink(), CancellationToken.None), batch => batch.Count);

    private static async Task<long> CountAsync<TBatch>(IAsyncEnumerable<TBatch> batches, Func<TBatch, int> count)
    {
        long rows = 0;
        await foreach (var batch in batches)
        {
            rows += count(batch);
        }

        return rows;
    }
}
