using Automotech.OpenData.Aggregation;
using Automotech.OpenData.Anonymisation;
using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Pipelines;

public sealed partial class DatasetBuilder
{
    /// <summary>The options of a validator of published values (the stream's, and the k-anonymity release's).</summary>
    private static ValidatorOptions PublishedValidatorOptions(PipelineDefinition pipeline, string keysDirectory, RunOptions options) => new()
    {
        SpillDirectory = keysDirectory,
        KeyMemoryCapacity = options.KeyMemoryCapacity,
        Threads = options.Threads,
        Origin = "schema.json",
        RejectFormulas = pipeline.Validation.FormulaCells == "reject",
    };

    /// <summary>
    /// What a run's batches go through after the source, created in this order: the source
    /// schema's validator, the anonymiser, the published schema's validator, the k-anonymity hold
    /// (when declared), the derived datasets' aggregates and the scrub counter. They own key sets
    /// and private files of the work folder (spilled keys, held rows, contributions): disposing
    /// releases them in the reverse order, the aggregates first.
    /// </summary>
    private sealed class StreamStages : IDisposable
    {
        public StreamStages(RunOptions options, PipelineDefinition pipeline, TableSchema sourceSchema, IReadOnlyList<DerivedTarget> derived, DateTimeOffset published, Func<Pseudonymiser> pseudonymiser)
        {
            SourceFields = sourceSchema.FieldNames;
            var privateDirectory = Path.Combine(options.WorkDirectory, "private");
            KeysDirectory = Path.Combine(privateDirectory, "keys");
            try
            {
                InputValidator = new RecordValidator(sourceSchema, sourceSchema.FieldNames, new ValidatorOptions
                {
                    SpillDirectory = KeysDirectory,
                    KeyMemoryCapacity = options.KeyMemoryCapacity,
                    Threads = options.Threads,
                    Today = PublicationTime.Date(published),
                    RowChecks = pipeline.Validation.RowChecks,
                    CheckRows = true,
                    MaxFieldChars = pipeline.Source.Limits.MaxFieldChars,
                });
                Anonymiser = new Anonymiser(pipeline, sourceSchema.FieldNames, pseudonymiser, options.Threads);
                OutputValidator = new RecordValidator(pipeline.Schema, Anonymiser.OutputFields, PublishedValidatorOptions(pipeline, KeysDirectory, options));
                KAnonymiser = pipeline.Anonymisation.KAnonymity is { } kDefinition
                    ? new KAnonymiser(kDefinition, Anonymiser, sourceSchema.FieldNames, HeldFields(pipeline, derived), privateDirectory, options.BatchSize)
                    : null;
                Aggregates = derived.Select(d => new AggregateBuilder(d.Pipeline, sourceSchema.FieldNames, privateDirectory)).ToList();
                Scrubbed = new ScrubCounter(pipeline, Anonymiser, sourceSchema.FieldNames);
            }
            catch
            {
                // The stages created before the one that failed are released (those after it are null).
                Dispose();
                throw;
            }
        }

        public IReadOnlyList<string> SourceFields { get; }

        /// <summary>Where the validators spill the keys they have seen (private).</summary>
        public string KeysDirectory { get; }

        public RecordValidator InputValidator { get; }

        public Anonymiser Anonymiser { get; }

        public RecordValidator OutputValidator { get; }

        public KAnonymiser? KAnonymiser { get; }

        public List<AggregateBuilder> Aggregates { get; }

        public ScrubCounter Scrubbed { get; }

        public void Dispose()
        {
            // A stage is null here only when the constructor failed before creating it.
            foreach (var aggregate in Aggregates ?? [])
            {
                aggregate.Dispose();
            }

            KAnonymiser?.Dispose();
            OutputValidator?.Dispose();
            InputValidator?.Dispose();
        }
    }
}
