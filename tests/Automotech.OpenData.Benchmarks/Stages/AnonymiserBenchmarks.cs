using BenchmarkDotNet.Attributes;

namespace Automotech.OpenData.Benchmarks.Stages;

/// <summary>The anonymiser: validated source batches to published batches, rule by rule.</summary>
[Config(typeof(StageConfig))]
public class AnonymiserBenchmarks
{
    private StageData data = null!;
    private ColumnBatch output = null!;

    [Params(100_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        data = StageData.For(Rows);
        output = new ColumnBatch(data.Published[0].FieldNames, StageData.BatchSize);
    }

    [Benchmark]
    public long Apply()
    {
        var anonymiser = data.NewAnonymiser();
        foreach (var batch in data.Validated)
        {
            anonymiser.Apply(batch, output);
        }

        return anonymiser.NaturalPersonRows;
    }
}
