using System.Globalization;
using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Anonymisation;

/// <summary>
/// Builds the published rows from validated source rows, column by column, following the field
/// rules of pipeline.yaml: source fields not named by a rule never reach the output, natural
/// persons' rows take their <c>natural_person</c> rule.
/// </summary>
public sealed class Anonymiser
{
    private readonly CompiledRule[] rules;
    private readonly (int Field, HashSet<string> Values)[] naturalPersonWhen;

    public Anonymiser(PipelineDefinition definition, IReadOnlyList<string> sourceFields, Func<Pseudonymiser> pseudonymiser)
    {
        OutputFields = definition.Schema.FieldNames;
        rules = OutputFields.Select(name =>
        {
            var rule = definition.Fields[name];
            return new CompiledRule(
                Compile(rule, sourceFields, pseudonymiser),
                rule.NaturalPerson is null ? null : Compile(rule.NaturalPerson, sourceFields, pseudonymiser));
        }).ToArray();
        naturalPersonWhen = definition.Anonymisation.NaturalPersonWhen
            .Select(c => (IndexOf(sourceFields, c.Field), new HashSet<string>(c.In, StringComparer.Ordinal)))
            .ToArray();
    }

    public IReadOnlyList<string> OutputFields { get; }

    public long NaturalPersonRows { get; private set; }

    public long RowsWritten { get; private set; }

    /// <summary>Fills <paramref name="output"/> (cleared first) from the rows of <paramref name="input"/>.</summary>
    public void Apply(ColumnBatch input, ColumnBatch output)
    {
        output.Clear();
        var natural = new bool[input.Count];
        for (var row = 0; row < input.Count; row++)
        {
            natural[row] = IsNaturalPerson(input, row);
            output.AddRow(input.LineNumber(row));
            if (natural[row])
            {
                NaturalPersonRows++;
            }
        }

        for (var f = 0; f < rules.Length; f++)
        {
            var target = output.Column(f);
            var (general, naturalRule) = (rules[f].General, rules[f].NaturalPerson ?? rules[f].General);
            for (var row = 0; row < input.Count; row++)
            {
                target[row] = (natural[row] ? naturalRule : general)(input, row);
            }
        }

        RowsWritten += input.Count;
    }

    private bool IsNaturalPerson(ColumnBatch input, int row)
    {
        foreach (var (field, values) in naturalPersonWhen)
        {
            if (input.Get(row, field) is { } v && values.Contains(v))
            {
                return true;
            }
        }

        return false;
    }

    private static Func<ColumnBatch, int, string?> Compile(FieldRule rule, IReadOnlyList<string> sourceFields, Func<Pseudonymiser> pseudonymiser)
    {
        if (rule.Drop)
        {
            return static (_, _) => null;
        }

        Func<string?, string?> map = rule switch
        {
            { Transform: { } name } => FieldTransforms.Create(name, pseudonymiser),
            { Map: { } table } => v => v is not null && table.TryGetValue(v, out var mapped) ? mapped : v,
            { Bands: { } bands } => v => BandOf(bands, v),
            _ => static v => v,
        };
        if (rule.Value is { } constant)
        {
            var mapped = map(constant);
            return (_, _) => mapped;
        }

        var index = IndexOf(sourceFields, rule.From!);
        return (batch, row) => map(batch.Get(row, index));
    }

    private static string? BandOf(List<Band> bands, string? value)
    {
        if (value is null)
        {
            return null;
        }

        var number = decimal.Parse(value, CultureInfo.InvariantCulture);
        return bands.First(b => b.Below is null || number < b.Below).Label;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new PipelineException($"'{name}' is not a source field.");
    }

    private sealed record CompiledRule(Func<ColumnBatch, int, string?> General, Func<ColumnBatch, int, string?>? NaturalPerson);
}
