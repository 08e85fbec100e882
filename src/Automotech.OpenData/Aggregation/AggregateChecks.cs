using Automotech.OpenData.Anonymisation;
using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Aggregation;

/// <summary>The checks of a derived dataset's definition, reported with the loader's other problems.</summary>
public static class AggregateChecks
{
    /// <summary>What can be checked from the derived definition alone.</summary>
    public static List<string> Own(PipelineDefinition d)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(d.Source.From))
        {
            errors.Add("source.from: name the pipeline this dataset is derived from.");
        }

        if (d.Aggregate is not { } a)
        {
            errors.Add("aggregate: a derived dataset needs an aggregate section.");
            return errors;
        }

        var published = new List<string> { a.LevelField, a.Rows.Field, a.Columns.Field };
        published.AddRange(new[] { a.Rows.LabelField, a.Columns.LabelField }.OfType<string>());
        published.AddRange(a.Counts.Select(c => c.Field));
        published.AddRange(a.Magnitudes.SelectMany(m => new[] { m.Field, m.Status }));
        foreach (var name in published.Where(f => d.Schema.Find(f) is null))
        {
            errors.Add($"aggregate: '{name}' is not a field of schema.json.");
        }

        foreach (var field in d.Schema.FieldNames.Where(f => !published.Contains(f)))
        {
            errors.Add($"schema.json: field '{field}' is not computed by the aggregate section.");
        }

        foreach (var group in published.Where(f => f.Length > 0).GroupBy(f => f, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"aggregate: field '{group.Key}' is given {group.Count()} times.");
        }

        if (a.Magnitudes.Count == 0 && a.Counts.Count == 0)
        {
            errors.Add("aggregate: declare at least one count or magnitude.");
        }

        // Written so that NaN (.nan in YAML) fails too: it would switch the dominance rule off, and mask fewer cells.
        if (a.Secret.MinContributors < 1 || a.Secret.DominanceShare is not (> 0 and <= 1))
        {
            errors.Add("aggregate.secret: min_contributors must be at least 1 and dominance_share in ]0, 1].");
        }

        if (a.Counts.Count > 30)
        {
            errors.Add("aggregate.counts: at most 30.");
        }

        return errors;
    }

    /// <summary>The aggregate's references to its parent's source fields.</summary>
    public static List<string> AgainstParent(PipelineDefinition d, PipelineDefinition parent)
    {
        var errors = new List<string>();
        var a = d.Aggregate!;
        var source = parent.Source.Schema;
        var named = a.Where.Keys
            .Concat(a.Counts.SelectMany(c => c.Where.Keys))
            .Concat(a.Magnitudes.Select(m => m.From))
            .Append(a.Contributor.From)
            .Concat(new[] { a.Rows.Rule, a.Columns.Rule, a.Rows.LabelRule, a.Columns.LabelRule }.OfType<FieldRule>().Select(r => r.From).OfType<string>());
        foreach (var name in named.Distinct().Where(n => source.Find(n) is null))
        {
            errors.Add($"aggregate: '{name}' is not a source field of '{parent.Id}'.");
        }

        foreach (var magnitude in a.Magnitudes.Where(m => source.Find(m.From) is { Type: not ("integer" or "number") }))
        {
            errors.Add($"aggregate.magnitudes: '{magnitude.From}' is not a numeric source field of '{parent.Id}'.");
        }

        foreach (var rule in new[] { a.Rows.Rule, a.Columns.Rule, a.Rows.LabelRule, a.Columns.LabelRule }.OfType<FieldRule>())
        {
            if (rule.Transform is { } t && (t == "pseudonymise" || !FieldTransforms.IsKnown(t)))
            {
                errors.Add($"aggregate: transform '{t}' cannot be used here.");
            }

            if (rule.Otherwise is { } otherwise && (rule.Map is null || otherwise is not ("keep" or "empty")))
            {
                errors.Add($"aggregate: otherwise must be keep or empty, with a map, not '{otherwise}'{(rule.Map is null ? " without one" : "")}.");
            }
        }

        return errors;
    }
}
