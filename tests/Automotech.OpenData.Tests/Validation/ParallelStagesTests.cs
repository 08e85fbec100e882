using Automotech.OpenData.Anonymisation;
using Automotech.OpenData.DemoData;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Sources;
using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Tests.Validation;

/// <summary>
/// The validator checks a batch's cells, and the anonymiser computes its rows, on several
/// threads, each a share of the rows: what they keep, reject, warn about and publish, and in
/// which order, must be what one thread does.
/// </summary>
public class ParallelStagesTests
{
    private static readonly int[] ThreadCounts = [1, 4];

    [Fact]
    public async Task Several_threads_give_the_same_rows_reasons_and_order_as_one()
    {
        using var temp = new TempFolder();
        var (pipeline, path) = await DemoActors.WriteAsync(temp, 6_000, seed: 7);

        var schema = pipeline.Source.Schema;
        var read = new List<ColumnBatch>();
        var source = new CsvSource(path, schema, "auto", "auto", 10_000, pipeline.Source.Limits);
        await foreach (var batch in source.ReadAsync(new RejectList(), CancellationToken.None))
        {
            read.Add(Copy(batch, extra: 0));
        }

        var input = WithTroubles(Assert.Single(read));
        var one = Validate(pipeline, input, threads: 1);
        var four = Validate(pipeline, input, threads: 4);

        // The case must exercise what the threads could reorder or lose.
        Assert.Equal(3, one.Events.Count(e => e.StartsWith("W ", StringComparison.Ordinal)));
        foreach (var kind in new[] { "duplicate-row", "blank-row", "primary-key", "siret-error", "commune-error", "naf-error" })
        {
            Assert.Contains(one.Events, e => e.StartsWith("R ", StringComparison.Ordinal) && e.Contains(kind, StringComparison.Ordinal));
        }

        Assert.True(one.Rows.Count > 5_000);
        Assert.Equal(one.Events, four.Events);
        Assert.Equal(one.Rows, four.Rows);

        // The validated rows, published by one thread then by four.
        var validated = Copy(input, extra: 0);
        Validate(pipeline, validated, threads: 1, keep: true);
        using var pseudonymiser = new Pseudonymiser("parallel-test-key-0123456789abcdef");
        var published = ThreadCounts.Select(threads =>
        {
            var anonymiser = new Anonymiser(pipeline, pipeline.Source.Schema.FieldNames, () => pseudonymiser, threads);
            var output = new ColumnBatch(anonymiser.OutputFields, validated.Count);
            anonymiser.Apply(validated, output);
            return (anonymiser.NaturalPersonRows, Rows: Texts(output));
        }).ToList();
        Assert.True(published[0].NaturalPersonRows > 100);
        Assert.Contains(published[0].Rows, r => r.Contains(Pseudonymiser.Prefix, StringComparison.Ordinal));
        Assert.Equal(published[0].NaturalPersonRows, published[1].NaturalPersonRows);
        Assert.Equal(published[0].Rows, published[1].Rows);
    }

    private static (List<string> Events, List<string> Rows) Validate(PipelineDefinition pipeline, ColumnBatch input, int threads, bool keep = false)
    {
        var batch = keep ? input : Copy(input, extra: 0);
        var events = new EventLog();
        using (var validator = new RecordValidator(pipeline.Source.Schema, pipeline.Source.Schema.FieldNames, new ValidatorOptions
        {
            Today = new DateOnly(2026, 11, 25),
            RowChecks = pipeline.Validation.RowChecks,
            CheckRows = true,
            MaxFieldChars = pipeline.Source.Limits.MaxFieldChars,
            Threads = threads,
        }))
        {
            validator.Validate(batch, events);
        }

        return (events.Events, Texts(batch));
    }

    private static List<string> Texts(ColumnBatch batch) =>
        Enumerable.Range(0, batch.Count)
            .Select(r => $"{batch.LineNumber(r)}: " + string.Join("\u001f", Enumerable.Range(0, batch.FieldNames.Count).Select(c => batch.Get(r, c) ?? "\u0000")))
            .ToList();

    /// <summary>The generated rows plus a duplicate, a blank row, a reused SIRET and three malformed e-mails (warnings), spread over the threads' shares.</summary>
    private static ColumnBatch WithTroubles(ColumnBatch batch)
    {
        var result = Copy(batch, extra: 3);
        var siret = batch.IndexOf("siret");
        var name = batch.IndexOf("raison_sociale");
        var duplicate = result.AddRow(90_001);
        var blank = result.AddRow(90_002);
        var reused = result.AddRow(90_003);
        for (var c = 0; c < batch.FieldNames.Count; c++)
        {
            result.Set(duplicate, c, batch.Get(10, c));
            result.Set(blank, c, c % 2 == 0 ? "" : "  ");
            result.Set(reused, c, batch.Get(4_500, c));
        }

        result.Set(reused, siret, batch.Get(20, siret));
        foreach (var row in new[] { 100, 2_000, 5_000 })
        {
            result.Set(row, batch.IndexOf("contact_email"), "jean.dupont@garage");
        }

        result.Set(reused, name, "Autre société SAS");
        return result;
    }

    private static ColumnBatch Copy(ColumnBatch batch, int extra)
    {
        var copy = new ColumnBatch(batch.FieldNames, batch.Count + extra);
        for (var r = 0; r < batch.Count; r++)
        {
            var row = copy.AddRow(batch.LineNumber(r));
            for (var c = 0; c < batch.FieldNames.Count; c++)
            {
                copy.Set(row, c, batch.Get(r, c));
            }
        }

        return copy;
    }
}
