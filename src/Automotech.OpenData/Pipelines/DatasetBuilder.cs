using System.Diagnostics;
using System.Text;
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
public sealed class DatasetBuilder(RunOptions options, ILogger logger, IRunProgress? progress = null)
{
    /// <param name="outputDirectory">Where to write the files; null validates only and writes nothing.</param>
    /// <param name="observer">Also receives every rejected row and warning (tests, reports).</param>
    public async Task<DatasetBuild> BuildAsync(PipelineDefinition pipeline, string version, DateTimeOffset published, string? outputDirectory, CancellationToken cancellationToken, IRejectedRowSink? observer = null)
    {
        var usesDemoKey = false;
        var pseudonymiser = new Lazy<Pseudonymiser>(() => new Pseudonymiser(ResolveKey(pipeline, out usesDemoKey)));
        var source = SireneEnrichment.Wrap(pipeline, SourceFactory.Create(pipeline, options), options);

        if (UsesPseudonyms(pipeline))
        {
            _ = pseudonymiser.Value; // fail before reading anything when the key is missing
        }

        var sourceSchema = pipeline.InputSchema;
        var quarantineDirectory = outputDirectory is null ? null : Path.Combine(options.QuarantineDirectory, pipeline.Id);
        using var quarantine = new Quarantine(quarantineDirectory, sourceSchema.FieldNames, observer);
        var inputValidator = new RecordValidator(sourceSchema, sourceSchema.FieldNames, new ValidatorOptions
        {
            Today = PublicationTime.Date(published),
            RowChecks = pipeline.Validation.RowChecks,
            CheckRows = true,
            MaxFieldChars = pipeline.Source.Limits.MaxFieldChars,
        });
        var anonymiser = new Anonymiser(pipeline, sourceSchema.FieldNames, () => pseudonymiser.Value);
        var outputValidator = new RecordValidator(pipeline.Schema, anonymiser.OutputFields, new ValidatorOptions
        {
            Origin = "schema.json",
            RejectFormulas = pipeline.Validation.FormulaCells == "reject",
        });
        var output = new ColumnBatch(anonymiser.OutputFields, options.BatchSize);
        var timings = new StageTimings();
        var writers = outputDirectory is null ? [] : await CreateWritersAsync(pipeline, version, outputDirectory, cancellationToken);
        var outputSink = new OutputRejections(quarantine, sourceSchema.FieldNames.Count);
        try
        {
            var clock = Stopwatch.StartNew();
            progress?.DatasetStarted(pipeline.Id, source.SizeBytes);
            await foreach (var batch in source.ReadAsync(quarantine, cancellationToken))
            {
                progress?.RowsRead(pipeline.Id, source.RowsRead, source.Fraction);
                timings.Read += clock.Elapsed;
                clock.Restart();
                inputValidator.Validate(batch, quarantine);
                timings.Validate += clock.Elapsed;
                clock.Restart();
                anonymiser.Apply(batch, output);
                outputSink.Source = batch;
                outputValidator.Validate(output, outputSink);
                timings.Anonymise += clock.Elapsed;
                clock.Restart();
                foreach (var writer in writers)
                {
                    await writer.WriteAsync(output, cancellationToken);
                }

                timings.Write += clock.Elapsed;
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
            foreach (var writer in writers)
            {
                await writer.DisposeAsync();
            }
        }

        Log.Counts(logger, pipeline.Id, source.RowsRead, source.Description, source.RowsRead - quarantine.RejectedRows, quarantine.RejectedRows, anonymiser.NaturalPersonRows);
        Log.Format(logger, pipeline.Id, source.Details, quarantine.WarningCount);
        Log.Timings(logger, pipeline.Id, (long)timings.Read.TotalMilliseconds, (long)timings.Validate.TotalMilliseconds, (long)timings.Anonymise.TotalMilliseconds, (long)timings.Write.TotalMilliseconds);
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
        var ratio = rowsRead == 0 ? 0 : (double)rejected / rowsRead;
        var valid = ratio <= pipeline.Validation.MaxErrorRatio && rowsRead > rejected;
        quarantine.Complete(rowsRead, valid);
        var summary = new ValidationSummary
        {
            RowsRead = rowsRead,
            RowsRejected = rejected,
            RowsPublished = rowsRead - rejected,
            Errors = quarantine.Counts.Select(c => new ErrorCount(c.Key.Type, c.Key.Field, c.Value)).ToList(),
            Warnings = quarantine.WarningCounts.Select(c => new ErrorCount(c.Key.Type, c.Key.Field, c.Value)).ToList(),
        };
        var privacy = new PrivacySummary
        {
            NaturalPersonRows = anonymiser.NaturalPersonRows,
            DroppedFields = [.. pipeline.Anonymisation.Drop],
            DemoKey = usesDemoKey,
        };
        var build = new DatasetBuild(pipeline, version, outputDirectory ?? "", writers.SelectMany(w => w.Files).ToList(), "", summary, privacy, timings);
        if (!valid)
        {
            throw new DatasetRejectedException(build, quarantine.FirstErrors,
                $"{pipeline.Id}: {rejected} of {rowsRead} rows rejected ({ratio:P1}), above the threshold of {pipeline.Validation.MaxErrorRatio:P1}; nothing is published."
                + (quarantineDirectory is null ? "" : $" Rejected rows and reasons: {quarantineDirectory}"));
        }

        return outputDirectory is null ? build : build with { Fingerprint = Fingerprint(pipeline, outputDirectory) };
    }

    private static async Task<List<IDatasetWriter>> CreateWritersAsync(PipelineDefinition pipeline, string version, string directory, CancellationToken cancellationToken)
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
            writers.Add(await ParquetDatasetWriter.CreateAsync(Path.Combine(directory, pipeline.Id + ".parquet"), pipeline.Schema, metadata, cancellationToken));
            if (pipeline.Outputs.PartitionBy is { } field)
            {
                writers.Add(new PartitionedParquetWriter(directory, pipeline.Id, pipeline.Schema, field, pipeline.Outputs.MaxPartitions, metadata));
            }
        }

        return writers;
    }

    /// <summary>
    /// What identifies the published content: the CSV (every published value) and the schema.
    /// Parquet is left out on purpose: it embeds the version, and holds the same values.
    /// </summary>
    private static string Fingerprint(PipelineDefinition pipeline, string directory)
    {
        var csv = Path.Combine(directory, pipeline.Id + ".csv");
        var parts = $"schema:{FileHash.Sha256(Encoding.UTF8.GetBytes(pipeline.SchemaJson))}\n"
            + $"csv:{(File.Exists(csv) ? FileHash.Sha256(csv) : "none")}\n"
            + $"formats:{string.Join(",", pipeline.Outputs.Formats)}\n"
            + (pipeline.Outputs.PartitionBy is { } partition ? $"partition_by:{partition}\n" : "");
        return FileHash.Sha256(Encoding.UTF8.GetBytes(parts));
    }

    private static bool UsesPseudonyms(PipelineDefinition pipeline) =>
        pipeline.Fields.Values.Any(r => r.Transform == "pseudonymise" || r.NaturalPerson?.Transform == "pseudonymise");

    private string ResolveKey(PipelineDefinition pipeline, out bool demo)
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

/// <summary>A dataset whose rejected share is over its threshold: nothing is published.</summary>
public sealed class DatasetRejectedException(DatasetBuild build, IReadOnlyList<RowError> firstErrors, string message) : Exception(message)
{
    public DatasetBuild Build { get; } = build;

    public IReadOnlyList<RowError> FirstErrors { get; } = firstErrors;
}
