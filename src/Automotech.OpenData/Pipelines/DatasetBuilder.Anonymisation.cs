using Automotech.OpenData.Aggregation;
using Automotech.OpenData.Anonymisation;

namespace Automotech.OpenData.Pipelines;

public sealed partial class DatasetBuilder
{
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

        // Only the bundled fictional file: a local file, in a dataset every page says is fictional.
        // A production copy of the bundled pipeline that kept source.demo (a remote source, or
        // metadata.demo turned off) must not make real pseudonyms with a public key when the job's
        // secret is missing.
        if (pipeline.Source.Demo && options.SourceOverride is null && pipeline.Metadata.Demo && pipeline.Source.Kind is "csv" or "xlsx" or "sirene")
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
            $"{pipeline.Id}: Anonymisation:Key is not configured (environment variable Anonymisation__Key). Only the bundled demo data may run without it"
            + (pipeline.Source.Demo ? " (source.demo, on a local file of a dataset whose metadata.demo says it is fictional)." : "."));
    }
}
