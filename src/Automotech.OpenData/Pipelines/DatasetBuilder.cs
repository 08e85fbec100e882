using System.Diagnostics;
using System.Text;
using Automotech.OpenData.Aggregation;
using Automotech.OpenData.Anonymisation;
using Automotech.OpenData.Releases;
using Automotech.OpenData.Sources;
using Automotech.OpenData.Validation;
using Automotech.OpenData.Writers;
using Microsoft.Extensions.Logging;

namespace Automotech.OpenData.Pipelines;

/// <summary>
/// Runs one pipeline's stages, streaming: Source → Validate (source schema) → Anonymise →
/// Validate (published schema) → Write. Memory holds one batch whatever the input's size.
/// Fails, writing no release, when the rejected share exceeds the pipeline's threshold.
/// </summary>
/// <remarks>
/// Two modes, each its own entry point, so that no argument's value can switch from one to the
/// other: <see cref="BuildAllAsync"/> publishes (writes the files into a build folder, the rejected
/// rows into the quarantine, hashes the files, and needs <c>Anonymisation:Key</c> unless the source
/// is the bundled demo); <see cref="ValidateAsync"/> publishes nothing (no file, no quarantine, no
/// hash: only the private scratch of the work folder) and, without a key, checks the pseudonyms
/// with a random one-off key.
/// </remarks>
public sealed class DatasetBuilder(RunOptions options, ILogger logger, IRunProgress? progress = null)
{
    /// <summary>The version the builds of <see cref="ValidateAsync"/> carry: they are never released.</summary>
    private const string ValidationVersion = "validate";

    private enum BuildMode
    {
        Publish,
        ValidateOnly,
    }

    /// <summary>Builds one pipeline, with no derived dataset, for publishing: see <see cref="BuildAllAsync"/>.</summary>
    public async Task<DatasetBuild> BuildAsync(PipelineDefinition pipeline, string version, DateTimeOffset published, string outputDirectory, CancellationToken cancellationToken, IRejectedRowSink? observer = null) =>
        (await BuildAllAsync(pipeline, version, published, outputDirectory, [], cancellationToken, observer))[0];

    /// <summary>
    /// Builds <paramref name="pipeline"/> and the datasets derived from its records (aggregates),
    /// in one read of the source, for publishing: the files are written into
    /// <paramref name="outputDirectory"/> (and each derived dataset's into its own), hashed, and the
    /// rejected rows go to the quarantine. The first build is the pipeline's, then one per derived
    /// target.
    /// </summary>
    /// <param name="outputDirectory">Where to write the files: required (to publish nothing, call <see cref="ValidateAsync"/>).</param>
    /// <param name="observer">Also receives every rejected row and warning (tests, reports).</param>
    /// <exception cref="ArgumentException">A directory, this one or a derived target's, is null, empty or blank.</exception>
    public Task<IReadOnlyList<DatasetBuild>> BuildAllAsync(PipelineDefinition pipeline, string version, DateTimeOffset published, string outputDirectory, IReadOnlyList<DerivedTarget> derived, CancellationToken cancellationToken, IRejectedRowSink? observer = null)
    {
        // Refused before anything is read or created: a directory missing by mistake (an unset
        // configuration value) must stop the run, not turn it into a validation with a random key.
        RequireDirectory(outputDirectory, pipeline.Id, nameof(outputDirectory));
        foreach (var target in derived)
        {
            RequireDirectory(target.Directory, target.Pipeline.Id, nameof(derived));
        }

        return RunAsync(BuildMode.Publish, pipeline, version, published, outputDirectory, derived, observer, cancellationToken);
    }

    /// <summary>
    /// Runs the stages of <paramref name="pipeline"/> and of the datasets derived from its records
    /// (the <c>validate</c> command) and publishes nothing: no file is written, no quarantine, nothing
    /// hashed; only the private scratch of the work folder (key spills, held rows).
    /// Without <c>Anonymisation:Key</c>, a random one-off key checks the pseudonyms (their format, their
    /// uniqueness), so that a source can be checked by someone who does not hold the secret.
    /// </summary>
    /// <param name="runTime">The run's time: a date after its day (Paris) is in the future.</param>
    /// <param name="observer">Also receives every rejected row and warning (tests, reports).</param>
    public Task<IReadOnlyList<DatasetBuild>> ValidateAsync(PipelineDefinition pipeline, DateTimeOffset runTime, IReadOnlyList<PipelineDefinition> derived, CancellationToken cancellationToken, IRejectedRowSink? observer = null) =>
        RunAsync(BuildMode.ValidateOnly, pipeline, ValidationVersion, runTime, outputDirectory: "", [.. derived.Select(d => new DerivedTarget(d, ValidationVersion, Directory: ""))], observer, cancellationToken);

    private static void RequireDirectory(string directory, string pipelineId, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            throw new ArgumentException($"{pipelineId}: publishing needs an output directory, and none was given; to check a source without publishing, call ValidateAsync.", parameterName);
        }
    }

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

    /// <summary>Writes a derived dataset's table, under the statistical secret rules.</summary>
    private async Task<DatasetBuild> BuildAggregateAsync(BuildMode mode, AggregateBuilder aggregate, DerivedTarget target, DateTimeOffset published, CancellationToken cancellationToken)
    {
        var pipeline = target.Pipeline;
        var clock = Stopwatch.StartNew();
        var table = aggregate.Complete();
        var rows = new ColumnBatch(pipeline.Schema.FieldNames, Math.Max(1, table.Cells.Count));
        table.Fill(rows, pipeline.Schema.FieldNames);
        var errors = new FirstRejection();
        using (var validator = new RecordValidator(pipeline.Schema, pipeline.Schema.FieldNames, new ValidatorOptions { Origin = "schema.json", Today = PublicationTime.Date(published) }))
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

    /// <summary>
    /// Counts by type and field for the public summary. Every error names a declared field, several
    /// (<c>latitude,longitude</c>), a position (<c>colonne n° 30</c>, <c>propriété n° 4</c>: a
    /// column or property that names no field, whose header is private text, never named) or none.
    /// </summary>
    private static List<ErrorCount> PublicCounts(IReadOnlyDictionary<(string Type, string Field), long> counts) =>
        [.. counts.Select(c => new ErrorCount(c.Key.Type, c.Key.Field, c.Value))];

    /// <summary>The source's batches, with the time spent producing each one added to <paramref name="readTime"/>.</summary>
    private static async IAsyncEnumerable<ColumnBatch> Timed(IAsyncEnumerable<ColumnBatch> batches, Action<TimeSpan> readTime)
    {
        var clock = Stopwatch.StartNew();
        await foreach (var batch in batches)
        {
            readTime(clock.Elapsed);
            yield return batch;
            clock.Restart();
        }

        readTime(clock.Elapsed);
    }

    private static async Task TimedWriteAsync(List<IDatasetWriter> writers, ColumnBatch batch, StageTimings timings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await WriteAllAsync(writers, batch, cancellationToken);
        timings.Write += clock.Elapsed;
    }

    /// <summary>
    /// The same batch to every format at once: each writer has its own file and state and only
    /// reads the batch, so they run in parallel (the second core); each file's bytes are unchanged.
    /// </summary>
    private static async Task WriteAllAsync(List<IDatasetWriter> writers, ColumnBatch batch, CancellationToken cancellationToken)
    {
        if (writers.Count == 1)
        {
            await writers[0].WriteAsync(batch, cancellationToken);
            return;
        }

        await Task.WhenAll(writers.Select(w => Task.Run(() => w.WriteAsync(batch, cancellationToken), cancellationToken)));
    }

    private async Task<List<IDatasetWriter>> CreateWritersAsync(PipelineDefinition pipeline, string version, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var writers = new List<IDatasetWriter>();
        if (pipeline.Outputs.Formats.Contains("csv"))
        {
            writers.Add(new CsvDatasetWriter(Path.Combine(directory, pipeline.Id + ".csv"), pipeline.Schema, neutraliseFormulas: pipeline.Validation.FormulaCells == "neutralise"));
        }

        if (pipeline.Outputs.Formats.Contains("parquet"))
        {
            var metadata = new Dictionary<string, string>
            {
                ["dataset"] = pipeline.Id,
                ["version"] = version,
                ["title"] = pipeline.Metadata.Title,
                ["license"] = pipeline.Metadata.Licence.Url,
            };
            // A row group's columns are encoded on Pipeline:Threads threads (the bytes do not depend on it).
            writers.Add(await ParquetDatasetWriter.CreateAsync(Path.Combine(directory, pipeline.Id + ".parquet"), pipeline.Schema, metadata, cancellationToken, options.Threads));
            if (pipeline.Outputs.PartitionBy is { } field)
            {
                writers.Add(new PartitionedParquetWriter(directory, pipeline.Id, pipeline.Schema, field, pipeline.Outputs.MaxPartitions, metadata, options.Threads));
            }
        }

        if (pipeline.Outputs.Formats.Contains("geojson"))
        {
            writers.Add(new GeoJsonDatasetWriter(Path.Combine(directory, pipeline.Id + ".geojson"), pipeline.Schema, pipeline.Outputs.Latitude, pipeline.Outputs.Longitude));
        }

        return writers;
    }

    /// <summary>
    /// The build with each file's sha256 (hashed once, side by side: the staging and the
    /// fingerprint use them) and its fingerprint.
    /// </summary>
    private static DatasetBuild Hashed(DatasetBuild build)
    {
        var hashes = new string[build.FileNames.Count];
        Parallel.For(0, hashes.Length, i => hashes[i] = FileHash.Sha256(Path.Combine(build.Directory, build.FileNames[i])));
        var byName = build.FileNames.Select((name, i) => (name, i)).ToDictionary(f => f.name, f => hashes[f.i], StringComparer.Ordinal);
        return build with { FileHashes = byName, Fingerprint = Fingerprint(build.Pipeline, byName) };
    }

    /// <summary>
    /// What identifies the published content: the CSV (every published value) and the schema.
    /// Parquet is left out on purpose: it embeds the version, and holds the same values.
    /// </summary>
    private static string Fingerprint(PipelineDefinition pipeline, IReadOnlyDictionary<string, string> fileHashes)
    {
        var parts = $"schema:{FileHash.Sha256(Encoding.UTF8.GetBytes(pipeline.SchemaJson))}\n"
            + $"csv:{fileHashes.GetValueOrDefault(pipeline.Id + ".csv") ?? "none"}\n"
            + $"formats:{string.Join(",", pipeline.Outputs.Formats)}\n"
            + (pipeline.Outputs.PartitionBy is { } partition ? $"partition_by:{partition}\n" : "");
        return FileHash.Sha256(Encoding.UTF8.GetBytes(parts));
    }

    /// <summary>The source fields a natural person's held row needs: its rules', its steps' and the aggregates'.</summary>
    private static HashSet<string> HeldFields(PipelineDefinition pipeline, IReadOnlyList<DerivedTarget> derived)
    {
        var rules = pipeline.Fields.Values.Select(r => r.NaturalPerson ?? r)
            .Concat(pipeline.Anonymisation.KAnonymity?.Steps.SelectMany(s => s.Fields.Values) ?? []);
        var fields = rules.Select(r => r.From).OfType<string>().ToHashSet(StringComparer.Ordinal);
        fields.UnionWith(pipeline.Anonymisation.NaturalPersonWhen.Select(c => c.Field));
        foreach (var a in derived.Select(d => d.Pipeline.Aggregate).OfType<AggregateDefinition>())
        {
            fields.UnionWith(a.Where.Keys.Concat(a.Counts.SelectMany(c => c.Where.Keys)).Concat(a.Magnitudes.Select(m => m.From)).Append(a.Contributor.From));
            fields.UnionWith(new[] { a.Rows.Rule, a.Columns.Rule, a.Rows.LabelRule, a.Columns.LabelRule }.OfType<FieldRule>().Select(r => r.From).OfType<string>());
        }

        return fields;
    }

    private static IEnumerable<IDisposable> IfCreated(Lazy<Pseudonymiser> lazy)
    {
        if (lazy.IsValueCreated)
        {
            yield return lazy.Value;
        }
    }

    private static bool UsesPseudonyms(PipelineDefinition pipeline) =>
        pipeline.Fields.Values.Any(r => r.Transform == "pseudonymise" || r.NaturalPerson?.Transform == "pseudonymise");

    /// <summary>
    /// The configured key; else the public demo key for the bundled demo source; else, only when
    /// validating (<see cref="BuildMode.ValidateOnly"/>: nothing is published), a random one-off key
    /// that checks the pseudonyms (their format, their uniqueness) without the secret. Publishing
    /// without a key is refused.
    /// </summary>
    private string ResolveKey(PipelineDefinition pipeline, BuildMode mode, out bool demo)
    {
        demo = false;
        if (!string.IsNullOrEmpty(options.AnonymisationKey))
        {
            if (options.AnonymisationKey.Length < DemoKey.MinimumLength)
            {
                throw new PipelineException($"Anonymisation:Key is too short: at least {DemoKey.MinimumLength} characters are required.");
            }

            return options.AnonymisationKey;
        }

        if (pipeline.Source.Demo && options.SourceOverride is null)
        {
            demo = true;
            Log.DemoKeyInUse(logger, pipeline.Id);
            return DemoKey.Value;
        }

        if (mode == BuildMode.ValidateOnly)
        {
            Log.OneOffKeyInUse(logger, pipeline.Id);
            return Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        }

        throw new PipelineException(
            $"{pipeline.Id}: Anonymisation:Key is not configured (environment variable Anonymisation__Key). Only the bundled demo data may run without it.");
    }

    /// <summary>
    /// Rows whose published values break schema.json are rejected too (with the source row
    /// quarantined, not the published one): a rule that produces bad output never publishes it.
    /// </summary>
    private sealed class OutputRejections(Quarantine quarantine, int sourceFieldCount) : IRejectedRowSink
    {
        public ColumnBatch? Source { get; set; }

        public void Reject(RejectedRow row)
        {
            var values = new string?[sourceFieldCount];
            if (Source is not null)
            {
                for (var r = 0; r < Source.Count; r++)
                {
                    if (Source.LineNumber(r) == row.LineNumber)
                    {
                        for (var c = 0; c < values.Length; c++)
                        {
                            values[c] = Source.Get(r, c);
                        }

                        break;
                    }
                }
            }

            quarantine.Reject(row with { Values = values });
        }

        public void Warn(RowError warning) => quarantine.Warn(warning);
    }
}

/// <summary>Disposes every item, even when the build failed (spill files hold private values).</summary>
internal sealed class DisposeAll(IEnumerable<IDisposable> items) : IDisposable
{
    public void Dispose()
    {
        foreach (var item in items)
        {
            item.Dispose();
        }
    }
}

/// <summary>Keeps the first rejected row (a computed table must never have one).</summary>
internal sealed class FirstRejection : IRejectedRowSink
{
    public RejectedRow? First { get; private set; }

    public void Reject(RejectedRow row) => First ??= row;

    public void Warn(RowError warning)
    {
    }
}

/// <summary>A dataset derived from the pipeline being built and published with it, with its own version and folder.</summary>
public sealed record DerivedTarget(PipelineDefinition Pipeline, string Version, string Directory);

/// <summary>A dataset whose rejected share is over its threshold: nothing is published.</summary>
public sealed class DatasetRejectedException(DatasetBuild build, IReadOnlyList<RowError> firstErrors, string message) : Exception(message)
{
    public DatasetBuild Build { get; } = build;

    public IReadOnlyList<RowError> FirstErrors { get; } = firstErrors;
}
