using BenchmarkDotNet.Attributes;

namespace Automotech.OpenData.Benchmarks.Stages;

/// <summary>
/// The record validator on whole batches: the source schema (types, constraints, business and
/// row checks, duplicates, primary key) and the published schema (types, formulas). Each
/// iteration validates fresh copies with a fresh validator (uniqueness is tracked per run).
/// </summary>
[Config(typeof(StageConfig))]
public class ValidatorBenchmarks
{
    private StageData data = null!;
    private List<ColumnBatch> work = [];

    [Params(100_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup() => data = StageData.For(Rows);

    [IterationSetup(Target = nameof(SourceSchema))]
    public void CopyRaw() => work = data.Raw.Select(StageData.Copy).ToList();

    [IterationSetup(Target = nameof(PublishedSchema))]
    public void CopyPublished() => work = data.Published.Select(StageData.Copy).ToList();

    [Benchmark]
    public long SourceSchema()
    {
        var sink = new CountingSink();
        var validator = data.NewInputValidator();
        foreach (var batch in work)
        {
            validator.Validate(batch, sink);
        }

        return sink.Rejected;
    }

    [Benchmark]
    public long PublishedSchema()
    {
        var sink = new CountingSink();
        var validator = data.NewOutputValidator(data.NewAnonymiser());
        foreach (var batch in work)
        {
            validator.Validate(batch, sink);
        }

        return sink.Rejected;
    }
}
