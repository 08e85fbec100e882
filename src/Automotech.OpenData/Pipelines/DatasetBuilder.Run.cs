using System.Diagnostics;
using System.Globalization;
using Automotech.OpenData.Anonymisation;
using Automotech.OpenData.Releases;
using Automotech.OpenData.Sources;
using Automotech.OpenData.Validation;
using Automotech.OpenData.Writers;
using Microsoft.Extensions.Logging;

namespace Automotech.OpenData.Pipelines;

public sealed partial class DatasetBuilder
{
    /// <param name="outputDirectory">Where <see cref="BuildMode.Publish"/> writes; empty, and unused, when validating only.</param>
    private async Task<IReadOnlyList<DatasetBuild>> RunAsync(BuildMode mode, PipelineDefinition pipeline, string version, DateTimeOffset published, string outputDirectory, IReadOnlyList<DerivedTarget> derived, IRejectedRowSink? observer, CancellationToken cancellationToken)
    {
        var publishing = mode == BuildMode.Publish;
        var usesDemoKey = false;
        var pseudonymiser = new Lazy<Pseudonymiser>(() => Pseudonymiser.ForDataset(ResolveKey(pipeline, mode, out usesDemoKey), pipeline.Id));
        using var disposeKey = new DisposeAll(IfCreated(pseudonymiser));
        var source = SireneEnrichment.Wrap(pipeline, SourceFactory.Create(pipeline, options, logger), options);
        if (options.SourceOverride is not null && pipeline.Metadata.Demo)
        {
            Log.DemoLabelOnOwnSource(logger, pipeline.Id); // another file, still labelled fictional
        }

        if (UsesPseudonyms(pipeline))
        {
            _ = pseudonymiser.Value; // fail before reading anything when the key is missing
        }

        var sourceSchema = pipeline.InputSchema;
        if (publishing)
        {
            ConfiguredFolder.RefuseFileInTheWay(options.QuarantineDirectory, "the quarantine (Pipeline:QuarantineDirectory)", "Nothing was published.");
            PrivateFiles.CreateRoot(options.QuarantineDirectory); // owner-only, its missing parents as any folder
        }

        using var quarantine = publishing
            ? Quarantine.WritingTo(Path.Combine(options.QuarantineDirectory, pipeline.Id), sourceSchema.FieldNames, observer)
            : Quarantine.CountingOnly(sourceSchema.FieldNames, observer);
        using var stages = new StreamStages(options, pipeline, sourceSchema, derived, published, () => pseudonymiser.Value);
        var kReport = new KAnonymityReport();
        var timings = new StageTimings();
        var writers = publishing ? await CreateWritersAsync(pipeline, version, outputDirectory, cancellationToken) : [];
        try
        {
            await StreamAsync(pipeline, source, quarantine, stages, writers, timings, cancellationToken);
            await ReleaseHeldRowsAsync(pipeline, stages, writers, kReport, timings, cancellationToken);
            foreach (var writer in writers)
            {
                await writer.CompleteAsync(cancellationToken);
            }

            progress?.DatasetDone(pipeline.Id);
        }
        finally
        {
            foreach (var writer in writers)
            {
                await writer.DisposeAsync();
            }
        }

        LogOutcome(pipeline, source, quarantine, stages.Anonymiser, kReport, timings);
        var build = Verdict(pipeline, version, outputDirectory, source, quarantine, stages, kReport, usesDemoKey, timings, writers);
        var builds = new List<DatasetBuild> { publishing ? Hashed(build) : build };
        for (var i = 0; i < stages.Aggregates.Count; i++)
        {
            builds.Add(await BuildAggregateAsync(mode, stages.Aggregates[i], derived[i], published, cancellationToken));
        }

        return builds;
    }

    /// <summary>
    /// Reads the source to its end, batch by batch: each batch is validated, anonymised, its
    /// published values validated, its natural persons' rows held back, counted by the aggregates
    /// and the scrub counter, and written. Returns once the last write has ended.
    /// </summary>
    private async Task StreamAsync(PipelineDefinition pipeline, IRecordSource source, Quarantine quarantine, StreamStages stages, List<IDatasetWriter> writers, StageTimings timings, CancellationToken cancellationToken)
    {
        var outputSink = new OutputRejections(quarantine, stages.SourceFields.Count);
        // Each output batch is written (CSV and Parquet side by side) while the next one is read,
        // validated and anonymised: two output batches take turns, and a write starts only once
        // the previous one has ended, so every file's bytes are those of a sequential run. With
        // Pipeline:Overlap, the source is also parsed one batch ahead on its own thread.
        var outputs = new[] { new ColumnBatch(stages.Anonymiser.OutputFields, options.BatchSize), new ColumnBatch(stages.Anonymiser.OutputFields, options.BatchSize) };
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
                stages.InputValidator.Validate(batch, quarantine);
                timings.Validate += clock.Elapsed;
                clock.Restart();
                var output = outputs[turn];
                turn ^= 1;
                stages.Anonymiser.Apply(batch, output);
                outputSink.Source = batch;
                stages.OutputValidator.Validate(output, outputSink);
                // Natural persons' rows are held back first: the aggregates count them only if
                // k-anonymity publishes them (a withheld row must not show through a count).
                stages.KAnonymiser?.Hold(batch, output);
                foreach (var aggregate in stages.Aggregates)
                {
                    aggregate.Observe(batch, output);
                }

                stages.Scrubbed.Count(batch, output);
                timings.Anonymise += clock.Elapsed;
                await pendingWrite;
                pendingWrite = TimedWriteAsync(writers, output, timings, cancellationToken);
            }

            await pendingWrite;
        }
        finally
        {
            // A failure may leave a write running: it must end before its file closes (the caller
            // disposes the writers).
            await Task.WhenAny(pendingWrite);
        }
    }

    /// <summary>
    /// Once the stream has ended: frees the stream's validators, then, with k-anonymity, writes the
    /// natural persons' held rows, each at the level where its group reaches k. With k-anonymity,
    /// the time from the end of the stream to the end of the release counts as anonymisation.
    /// </summary>
    private async Task ReleaseHeldRowsAsync(PipelineDefinition pipeline, StreamStages stages, List<IDatasetWriter> writers, KAnonymityReport kReport, StageTimings timings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();

        // The stream's validators are done. Their key sets go now, before the held rows are
        // released: once spilled, each holds a 16 MB Bloom filter, its hash set and its sort
        // buffer, and the release's own validator spills too when more than 131,072 natural
        // persons are held (10M rows): the four together were what made the heap larger at
        // 10M rows than at 1M (docs/benchmarks.md). Their spilled digests are deleted too.
        var spilled = stages.InputValidator.HasSpilledKeys || stages.OutputValidator.HasSpilledKeys;
        stages.InputValidator.Dispose();
        stages.OutputValidator.Dispose();
        if (spilled)
        {
            ReturnStreamMemory(pipeline.Id);
        }

        if (stages.KAnonymiser is not { } kAnonymiser)
        {
            return;
        }

        // Natural persons' rows, each at the level where its group reaches k. Their
        // uniqueness was checked with every row's on the first pass: a fresh validator
        // checks the generalised values against schema.json.
        using var releaseValidator = new RecordValidator(pipeline.Schema, stages.Anonymiser.OutputFields, PublishedValidatorOptions(pipeline, stages.KeysDirectory, options));
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

            foreach (var aggregate in stages.Aggregates)
            {
                aggregate.Observe(held, released);
            }

            stages.Scrubbed.Count(held, released);
            await WriteAllAsync(writers, released, cancellationToken);
        }

        timings.Anonymise += clock.Elapsed;
    }

    /// <summary>
    /// Gives back at once the memory the stream's spilled key sets held (their Bloom filters, hash
    /// sets and sort buffers, about 65 MiB for the three of acteurs at 1M rows): a blocking,
    /// compacting collection that also decommits what it frees. Left to the collector, that memory
    /// stayed committed while the release, the writers' end and the site allocated more, and the
    /// run's resident peak came there, 7–10 MiB above the stream's (docs/benchmarks.md, "The end of
    /// the stream"). Only after a spill (131,072 keys in a set, by default): a smaller run has
    /// nothing to give back, and a forced collection would only cost it time.
    /// </summary>
    private void ReturnStreamMemory(string pipelineId)
    {
        var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var clock = Stopwatch.StartNew();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var after = GC.GetGCMemoryInfo().TotalCommittedBytes;
        Log.StreamMemoryReturned(logger, pipelineId, committed / 1_048_576, after / 1_048_576, clock.ElapsedMilliseconds);
    }

    /// <summary>The run's counts, the source's format, the stage timings, the collector's counts, then the errors and warnings by type and field.</summary>
    private void LogOutcome(PipelineDefinition pipeline, IRecordSource source, Quarantine quarantine, Anonymiser anonymiser, KAnonymityReport kReport, StageTimings timings)
    {
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
    }

    /// <summary>
    /// Decides whether the dataset publishes, closes the quarantine's report with that verdict, and
    /// returns the dataset's build with its public summaries; throws
    /// <see cref="DatasetRejectedException"/>, carrying the build, when the source gave no row or
    /// more than <c>validation.max_error_ratio</c> of its rows were rejected.
    /// </summary>
    private static DatasetBuild Verdict(PipelineDefinition pipeline, string version, string outputDirectory, IRecordSource source, Quarantine quarantine, StreamStages stages, KAnonymityReport kReport, bool usesDemoKey, StageTimings timings, List<IDatasetWriter> writers)
    {
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
            NaturalPersonRows = stages.Anonymiser.NaturalPersonRows,
            DroppedFields = [.. pipeline.Anonymisation.Drop],
            DemoKey = usesDemoKey,
            Rules = PrivacyRule.Of(pipeline),
            Scrubbed = stages.Scrubbed.Counts,
            KAnonymity = stages.KAnonymiser is null ? null : kReport,
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
                string.Create(CultureInfo.InvariantCulture, $"{pipeline.Id}: {rejected} of {rowsRead} rows rejected ({ratio:P1}), above the threshold of {pipeline.Validation.MaxErrorRatio:P1}; nothing is published.")
                + (quarantine.Directory is null ? "" : $" Rejected rows and reasons: {quarantine.Directory}"));
        }

        return build;
    }

    /// <summary>
    /// Counts by type and field for the public summary. Every error names a declared field, several
    /// (<c>latitude,longitude</c>), a position (<c>colonne n° 30</c>, <c>propriété n° 4</c>: a
    /// column or property that names no field, whose header is private text, never named) or none.
    /// </summary>
    private static List<ErrorCount> PublicCounts(IReadOnlyDictionary<(string Type, string Field), long> counts) =>
        [.. counts.Select(c => new ErrorCount(c.Key.Type, c.Key.Field, c.Value))];
}
