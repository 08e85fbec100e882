using System.Diagnostics;
using Automotech.OpenData.Aggregation;
using Automotech.OpenData.Releases;
using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Pipelines;

public sealed partial class DatasetBuilder
{
    /// <summary>Writes a derived dataset's table, under the statistical secret rules.</summary>
    private async Task<DatasetBuild> BuildAggregateAsync(BuildMode mode, AggregateBuilder aggregate, DerivedTarget target, DateTimeOffset published, CancellationToken cancellationToken)
    {
        var pipeline = target.Pipeline;
        var clock = Stopwatch.StartNew();
        if (aggregate.Records == 0)
        {
            // A table without a grand total has nothing to publish (and no secret to compute).
            var where = pipeline.Aggregate is { Where.Count: > 0 } definition
                ? $" matches aggregate.where ({string.Join(", ", definition.Where.Select(w => $"{w.Key} = {w.Value}"))}) among those it publishes"
                : " was published to aggregate";
            throw new PipelineException($"{pipeline.Id}: no record of {pipeline.Source.From}{where}; nothing is published.");
        }

        var table = aggregate.Complete();
        var rows = new ColumnBatch(pipeline.Schema.FieldNames, Math.Max(1, table.Cells.Count));
        table.Fill(rows, pipeline.Schema.FieldNames);
        var errors = new FirstRejection();
        // Its labels are source values: under the reject policy (the default), one a spreadsheet
        // would run as a formula breaks the table like any other bad value; under neutralise, the
        // CSV writer quotes it, as it does the records'.
        var validatorOptions = new ValidatorOptions { Origin = "schema.json", Today = PublicationTime.Date(published), RejectFormulas = pipeline.Validation.FormulaCells == "reject" };
        using (var validator = new RecordValidator(pipeline.Schema, pipeline.Schema.FieldNames, validatorOptions))
        {
            validator.Validate(rows, errors);
        }
        if (errors.First is { } first)
        {
            throw new PipelineException($"{pipeline.Id}: the computed table breaks its schema.json (row {first.LineNumber}: {string.Join("; ", first.Errors.Select(e => $"{e.FieldName} {e.Type}: {e.Message}"))}).");
        }

        var timings = new StageTimings { Anonymise = clock.Elapsed };
        var publishing = mode == BuildMode.Publish;
        var writers = publishing ? await CreateWritersAsync(pipeline, target.Version, target.Directory, cancellationToken) : [];
        try
        {
            foreach (var writer in writers)
            {
                await writer.WriteAsync(rows, cancellationToken);
                await writer.CompleteAsync(cancellationToken);
            }
        }
        finally
        {
            foreach (var writer in writers)
            {
                await writer.DisposeAsync();
            }
        }

        timings.Write = clock.Elapsed - timings.Anonymise;
        var report = table.Report();
        var secret = string.Join(", ", report.Magnitudes.Select(m => $"{m.Field}: {m.Primary} primary, {m.Secondary} secondary"));
        Log.Aggregated(logger, pipeline.Id, aggregate.Records, rows.Count, secret);
        var summary = new ValidationSummary { RowsRead = aggregate.Records, RowsPublished = rows.Count };
        var privacy = new PrivacySummary { Secret = report };
        var build = new DatasetBuild(pipeline, target.Version, target.Directory, writers.Select(w => Path.GetFileName(w.Path)).ToList(), "", summary, privacy, timings);
        return publishing ? Hashed(build) : build;
    }
}
