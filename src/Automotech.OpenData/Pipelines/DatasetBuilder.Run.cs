using System.Diagnostics;
using Automotech.OpenData.Aggregation;
using Automotech.OpenData.Anonymisation;
using Automotech.OpenData.Releases;
using Automotech.OpenData.Sources;
using Automotech.OpenData.Validation;
using Microsoft.Extensions.Logging;

namespace Automotech.OpenData.Pipelines;

public sealed partial class DatasetBuilder
{
    /// <param name="outputDirectory">Where <see cref="BuildMode.Publish"/> writes; empty, and unused, when validating only.</param>
    private async Task<IReadOnlyList<DatasetBuild>> RunAsync(BuildMode mode, PipelineDefinition pipeline, string version, DateTimeOffset published, string outputDirectory, IReadOnlyList<DerivedTarget> derived, IRejectedRowSink? observer, CancellationToken cancellationToken)
    {
        var publishing = mode == BuildMode.Publish;
        var usesDemoKey = false;
        var pseudonymiser = new Lazy<Pseudonymiser>(() => new Pseudonymiser(ResolveKey(pipeline, mode, out usesDemoKey)));
        using var disposeKey = new DisposeAll(IfCreated(pseudonymiser));
        var source = SireneEnrichment.Wrap(pipeline, SourceFactory.Create(pipeline, options, logger), options);

        if (UsesPseudonyms(pipeline))
        {
            _ = pseudonymiser.Value; // fail before reading anything when the key is missing
        }

        var sourceSchema = pipeline.InputSchema;
        var quarantineDirectory = publishing ? Path.Combine(options.QuarantineDirectory, pipeline.Id) : null;
        using var quarantine = new Quarantine(quarantineDirectory, sourceSchema.FieldNames, observer);
        var privateDirectory = Path.Combine(options.WorkDirectory, "private");
        var keysDirectory = Path.Combine(privateDirectory, "keys");
        using var inputValidator = new RecordValidator(sourceSchema, sourceSchema.FieldNames, new ValidatorOptions
        {
            SpillDirectory = keysDirectory,
            Threads = options.Threads,
            Today = PublicationTime.Date(published),
            RowChecks = pipeline.Validation.RowChecks,
            CheckRows = true,
            MaxFieldChars = pipeline.Source.Limits.MaxFieldChars,
        });
        var anonymiser = new Anonymiser(pipeline, sourceSchema.FieldNames, () => pseudonymiser.Value, options.Threads);
        using var outputValidator = new RecordValidator(pipeline.Schema, anonymiser.OutputFields, new ValidatorOptions
        {
            SpillDirectory = keysDirectory,
            Threads = options.Threads,
            Origin = "schema.json",
            RejectFormulas = pipeline.Validation.FormulaCells == "reject",
        });
        var output = new ColumnBatch(anonymiser.OutputFields, options.BatchSize);
        using var kAnonymiser = pipeline.Anonymisation.KAnonymity is { } kDefinition
            ? new KAnonymiser(kDefinition, anonymiser, sourceSchema.FieldNames, HeldFields(pipeline, derived), privateDirectory, options.BatchSize)
            : null;
        var aggregates = derived.Select(d => new AggregateBuilder(d.Pipeline, sourceSchema.FieldNames, privateDirectory)).ToList();
        using var disposeAggregates = new DisposeAll(aggregates);
        var kReport = new KAnonymityReport();
        var scrubbed = new ScrubCounter(pipeline, anonymiser, sourceSchema.FieldNames);
        var timings = new StageTimings();
        var writers = publishing ? await CreateWritersAsync(pipeline, version, outputDirectory, cancellationToken) : [];
        var outputSink = new OutputRejections(quarantine, sourceSchema.FieldNames.Count);
        // Each output batch is written (CSV and Parquet side by side) while the next one is read,
        // validated and anonymised: two output batches take turns, and a write starts only once
        // the previous one has ended, so every file's bytes are those of a sequential run. With
        // Pipeline:Overlap, the source is also parsed one batch ahead on its own thread.
        var outputs = new[] { output, new ColumnBatch(anonymiser.OutputFields, options.BatchSize) };
        var turn = 0;
        var pendingWrite = Task.CompletedTask;
        try
        {
            var clock = Stopwatch.StartNew();
            progress?.DatasetStarted(pipeline.Id, source.SizeBytes);
            var batches = options.Overlap
                ? ReadAhead.ReadAsync(source, quarantine, depth: 1, t => timings.Read += t, cancellationToken)
                : Timed(source.ReadAsync(quarantine, cancellationToken), t => timings.Read += t);
            await foreach (var batch in batches)
            {
                progress?.RowsRead(pipeline.Id, source.RowsRead, source.Fraction);
                clock.Restart();
                inputValidator.Validate(batch, quarantine);
                timings.Validate += clock.Elapsed;
                clock.Restart();
                output = outputs[turn];
                turn ^= 1;
                anonymiser.Apply(batch, output);
                outputSink.Source = batch;
                outputValidator.Validate(output, outputSink);
                // Natural persons' rows are held back first: the aggregates count them only if
                // k-anonymity publishes them (a withheld row must not show through a count).
                kAnonymiser?.Hold(batch, output);
                foreach (var aggregate in aggregates)
                {
                    aggregate.Observe(batch, output);
                }

                scrubbed.Count(batch, output);
                timings.Anonymise += clock.Elapsed;
                await pendingWrite;
                pendingWrite = TimedWriteAsync(writers, output, timings, cancellationToken);
            }

            await pendingWrite;
            clock.Restart();

            // The stream's validators are done. Their key sets go now, before the held rows are
            // released: once spilled, each holds a 16 MB Bloom filter, its hash set and its sort
            // buffer, and the release's own validator spills too when more than 131,072 natural
            // persons are held (10M rows): the four together were what made the heap larger at
            // 10M rows than at 1M (docs/benchmarks.md). Their spilled digests are deleted too.
            inputValidator.Dispose();
            outputValidator.Dispose();

            if (kAnonymiser is not null)
            {
                // Natural persons' rows, each at the level where its group reaches k. Their
                // uniqueness was checked with every row's on the first pass: a fresh validator
                // checks the generalised values against schema.json.
                using var releaseValidator = new RecordValidator(pipeline.Schema, anonymiser.OutputFields, new ValidatorOptions
                {
                    SpillDirectory = keysDirectory,
                    Threads = options.Threads,
                    Origin = "schema.json",
                    RejectFormulas = pipeline.Validation.FormulaCells == "reject",
                });
                var invalid = new FirstRejection();
                foreach (var (held, released) in kAnonymiser.Release(kReport))
                {
                    // Groups were counted on these values: a rejection here would break k, so it is a
                    // mistake of the generalisation steps, and fatal.
                    releaseValidator.Validate(released, invalid);
                    if (invalid.First is { } bad)
                    {
                        throw new PipelineException($"{pipeline.Id}: a generalisation step of anonymisation.k_anonymity produces values that break schema.json (line {bad.LineNumber}: {string.Join("; ", bad.Errors.Select(e => $"{e.FieldName} {e.Type}"))}); nothing is published.");
                    }

                    foreach (var aggregate in aggregates)
                    {
                        aggregate.Observe(held, released);
                    }

                    scrubbed.Count(held, released);
                    await WriteAllAsync(writers, released, cancellationToken);
                }

                timings.Anonymise += clock.Elapsed;
                clock.Restart();
            }

            foreach (var writer in writers)
            {
                await writer.CompleteAsync(cancellationToken);
            }

            progress?.DatasetDone(pipeline.Id);
        }
        finally
        {
            // A failure elsewhere may leave a write running: it must end before its file closes.
            await Task.WhenAny(pendingWrite);
            foreach (var writer in writers)
            {
                await writer.DisposeAsync();
            }
        }

        Log.Counts(logger, pipeline.Id, source.RowsRead, source.Description, source.RowsRead - quarantine.RejectedRows - kReport.RowsSuppressed, quarantine.RejectedRows, anonymiser.NaturalPersonRows, kReport.RowsSuppressed);
        Log.Format(logger, pipeline.Id, source.Details, quarantine.WarningCount);
        Log.Timings(logger, pipeline.Id, (long)timings.Read.TotalMilliseconds, (long)timings.Validate.TotalMilliseconds, (long)timings.Anonymise.TotalMilliseconds, (long)timings.Write.TotalMilliseconds);
        if (logger.IsEnabled(LogLevel.Information))
        {
            // The process's counts so far: with several datasets, each line includes the ones
            // before it. The collections are mostly what the batches' strings cost; a higher heap
            // cap does not change their number (docs/benchmarks.md).
            var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var pausedMs = (long)GC.GetTotalPauseDuration().TotalMilliseconds;
            var allocatedMb = GC.GetTotalAllocatedBytes() / 1_000_000;
            Log.Collector(logger, pipeline.Id, gen0, gen1, gen2, pausedMs, allocatedMb);
        }
        foreach (var ((type, field), count) in quarantine.Counts)
        {
            Log.ErrorCount(logger, pipeline.Id, type, field, count);
        }

        foreach (var ((type, field), count) in quarantine.WarningCounts)
        {
            Log.WarningCount(logger, pipeline.Id, type, field, count);
        }

        var rowsRead = source.RowsRead;
        var rejected = quarantine.RejectedRows;
        var suppressed = kReport.RowsSuppressed;
        var ratio = rowsRead == 0 ? 0 : (double)rejected / rowsRead;
        var valid = ratio <= pipeline.Validation.MaxErrorRatio && rowsRead > rejected;
        quarantine.Complete(rowsRead, valid);
        var summary = new ValidationSummary
        {
            RowsRead = rowsRead,
            RowsRejected = rejected,
            RowsPublished = rowsRead - rejected - suppressed,
            Errors = PublicCounts(quarantine.Counts),
            Warnings = PublicCounts(quarantine.WarningCounts),
        };
        var privacy = new PrivacySummary
        {
            NaturalPersonRows = anonymiser.NaturalPersonRows,
            DroppedFields = [.. pipeline.Anonymisation.Drop],
            DemoKey = usesDemoKey,
            Rules = PrivacyRule.Of(pipeline),
            Scrubbed = scrubbed.Counts,
            KAnonymity = kAnonymiser is null ? null : kReport,
        };
        var build = new DatasetBuild(pipeline, version, outputDirectory, writers.SelectMany(w => w.Files).ToList(), "", summary, privacy, timings) { FirstErrors = quarantine.FirstErrors };
        if (rowsRead == 0)
        {
            // Not "0 of 0 rows rejected": say what kept nothing.
            throw new DatasetRejectedException(build, quarantine.FirstErrors, $"{pipeline.Id}: {source.NoRowsReason}; nothing is published.");
        }

        if (!valid)
        {
            throw new DatasetRejectedException(build, quarantine.FirstErrors,
                $"{pipeline.Id}: {rejected} of {rowsRead} rows rejected ({ratio:P1}), above the threshold of {pipeline.Validation.MaxErrorRatio:P1}; nothing is published."
                + (quarantineDirectory is null ? "" : $" Rejected rows and reasons: {quarantineDirectory}"));
        }

        var builds = new List<DatasetBuild> { publishing ? Hashed(build) : build };
        for (var i = 0; i < aggregates.Count; i++)
        {
            builds.Add(await BuildAggregateAsync(mode, aggregates[i], derived[i], published, cancellationToken));
        }

        return builds;
    }

    /// <summary>
    /// Counts by type and field for the public summary. Every error names a declared field, several
    /// (<c>latitude,longitude</c>), a position (<c>colonne n° 30</c>, <c>propriété n° 4</c>: a
    /// column or property that names no field, whose header is private text, never named) or none.
    /// </summary>
    private static List<ErrorCount> PublicCounts(IReadOnlyDictionary<(string Type, string Field), long> counts) =>
        [.. counts.Select(c => new ErrorCount(c.Key.Type, c.Key.Field, c.Value))];
}
