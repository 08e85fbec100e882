using Automotech.OpenData.Anonymisation;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Sources;
using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Benchmarks.Stages;

/// <summary>
/// The inputs of each stage, held in memory so that a stage benchmark measures that stage only:
/// the source batches as read, the same batches validated, and the published batches. Built the
/// way <see cref="DatasetBuilder"/> wires the stages (same options, same batch size).
/// </summary>
public sealed class StageData
{
    public static readonly int BatchSize = new Automotech.OpenData.Pipelines.RunOptions().BatchSize;

    /// <summary>A fixed run date, after the generator's last update date, so that no row is "in the future".</summary>
    public static readonly DateOnly Today = new(2026, 11, 25);

    private static readonly Dictionary<int, StageData> Cache = [];

    private StageData(int rows)
    {
        Pipeline = Inputs.Acteurs();
        SourcePath = Inputs.Source(rows);
        var sink = new CountingSink();
        var source = NewSource();
        foreach (var batch in source.ReadAsync(sink, CancellationToken.None).ToBlockingEnumerable())
        {
            Raw.Add(Copy(batch));
        }

        var inputValidator = NewInputValidator();
        var anonymiser = NewAnonymiser();
        foreach (var raw in Raw)
        {
            var batch = Copy(raw);
            inputValidator.Validate(batch, sink);
            Validated.Add(batch);
            var output = new ColumnBatch(anonymiser.OutputFields, BatchSize);
            anonymiser.Apply(batch, output);
            Published.Add(output);
        }
    }

    public PipelineDefinition Pipeline { get; }

    public string SourcePath { get; }

    /// <summary>The batches as the source yields them (text as read).</summary>
    public List<ColumnBatch> Raw { get; } = [];

    /// <summary>The source batches after input validation (canonical values, rejected rows removed).</summary>
    public List<ColumnBatch> Validated { get; } = [];

    /// <summary>The published batches (anonymised), as the writers receive them.</summary>
    public List<ColumnBatch> Published { get; } = [];

    public static StageData For(int rows)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(rows, out var data))
            {
                Cache[rows] = data = new StageData(rows);
            }

            return data;
        }
    }

    public CsvSource NewSource()
    {
        var source = Pipeline.Source;
        return new CsvSource(SourcePath, source.Schema, source.Encoding, source.Delimiter, BatchSize, source.Limits);
    }

    public RecordValidator NewInputValidator()
    {
        var schema = Pipeline.Source.Schema;
        return new RecordValidator(schema, schema.FieldNames, new ValidatorOptions
        {
            Today = Today,
            RowChecks = Pipeline.Validation.RowChecks,
            CheckRows = true,
            MaxFieldChars = Pipeline.Source.Limits.MaxFieldChars,
        });
    }

    public Anonymiser NewAnonymiser()
    {
        var pseudonymiser = new Pseudonymiser(Inputs.BenchmarkKey);
        return new Anonymiser(Pipeline, Pipeline.Source.Schema.FieldNames, () => pseudonymiser);
    }

    public RecordValidator NewOutputValidator(Anonymiser anonymiser) =>
        new(Pipeline.Schema, anonymiser.OutputFields, new ValidatorOptions
        {
            Origin = "schema.json",
            RejectFormulas = Pipeline.Validation.FormulaCells == "reject",
        });

    /// <summary>A deep enough copy: the cells are immutable strings, the arrays are new.</summary>
    public static ColumnBatch Copy(ColumnBatch batch)
    {
        var copy = new ColumnBatch(batch.FieldNames, batch.Capacity);
        CopyInto(batch, copy);
        return copy;
    }

    public static void CopyInto(ColumnBatch from, ColumnBatch to)
    {
        to.Clear();
        for (var row = 0; row < from.Count; row++)
        {
            to.AddRow(from.LineNumber(row));
        }

        for (var f = 0; f < from.FieldNames.Count; f++)
        {
            Array.Copy(from.Column(f), to.Column(f), from.Count);
        }
    }
}
