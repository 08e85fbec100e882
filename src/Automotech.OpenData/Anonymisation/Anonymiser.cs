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

    // Natural persons' rules after each generalisation step of k-anonymity (cumulative).
    private readonly Func<ColumnBatch, int, string?>[][] generalised;
    private readonly int threads;
    private bool[] natural = [];

    /// <param name="threads">Threads that compute a batch's rows (a share each): the output is the same for any number.</param>
    public Anonymiser(PipelineDefinition definition, IReadOnlyList<string> sourceFields, Func<Pseudonymiser> pseudonymiser, int threads = 1)
    {
        this.threads = threads;
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
        var level = rules.Select(r => r.NaturalPerson ?? r.General).ToArray();
        var steps = definition.Anonymisation.KAnonymity?.Steps ?? [];
        generalised = new Func<ColumnBatch, int, string?>[steps.Count + 1][];
        generalised[0] = level;
        for (var s = 0; s < steps.Count; s++)
        {
            level = [.. level];
            foreach (var (field, rule) in steps[s].Fields)
            {
                level[IndexOf(OutputFields, field)] = Compile(rule, sourceFields, pseudonymiser);
            }

            generalised[s + 1] = level;
        }
    }

    public IReadOnlyList<string> OutputFields { get; }

    public long NaturalPersonRows { get; private set; }

    public long RowsWritten { get; private set; }

    /// <summary>Fills <paramref name="output"/> (cleared first) from the rows of <paramref name="input"/>.</summary>
    public void Apply(ColumnBatch input, ColumnBatch output)
    {
        output.Clear();
        for (var row = 0; row < input.Count; row++)
        {
            output.AddRow(input.LineNumber(row));
        }

        if (natural.Length < input.Count)
        {
            natural = new bool[input.Capacity];
        }

        // Every rule is a function of its row only (the pseudonymiser keeps a context per thread).
        RowShares.Run(input.Count, RowShares.Count(input.Count, threads), (_, from, to) => Fill(input, output, from, to));
        NaturalPersonRows += natural.AsSpan(0, input.Count).Count(true);
        RowsWritten += input.Count;
    }

    private void Fill(ColumnBatch input, ColumnBatch output, int from, int to)
    {
        for (var row = from; row < to; row++)
        {
            natural[row] = IsNaturalPerson(input, row);
        }

        for (var f = 0; f < rules.Length; f++)
        {
            var target = output.Column(f);
            var (general, naturalRule) = (rules[f].General, rules[f].NaturalPerson ?? rules[f].General);
            for (var row = from; row < to; row++)
            {
                target[row] = (natural[row] ? naturalRule : general)(input, row);
            }
        }
    }

    /// <summary>
    /// Appends natural persons' rows of <paramref name="input"/> to <paramref name="output"/>,
    /// each row at its generalisation level (0: the natural-person rules; n: after step n; a
    /// negative level: the row is not published).
    /// </summary>
    public void ApplyGeneralised(ColumnBatch input, ReadOnlySpan<int> levels, ColumnBatch output)
    {
        for (var row = 0; row < input.Count; row++)
        {
            if (levels[row] < 0)
            {
                continue;
            }

            var target = output.AddRow(input.LineNumber(row));
            var fields = generalised[levels[row]];
            for (var f = 0; f < fields.Length; f++)
            {
                output.Set(target, f, fields[f](input, row));
            }
        }
    }

    /// <summary>One field of a natural person's row at generalisation <paramref name="level"/> (as <see cref="ApplyGeneralised"/> computes it).</summary>
    public string? Generalised(int level, int field, ColumnBatch input, int row) => generalised[level][field](input, row);

    /// <summary>True when the row is a natural person's (anonymisation.natural_person_when).</summary>
    public bool IsNaturalPerson(ColumnBatch input, int row)
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

    /// <summary>A rule as a function of a source row (no pseudonymisation: for aggregates and other derived values).</summary>
    public static Func<ColumnBatch, int, string?> CompileRule(FieldRule rule, IReadOnlyList<string> sourceFields) =>
        Compile(rule, sourceFields, static () => throw new PipelineException("pseudonymise is not available here."));

    private static Func<ColumnBatch, int, string?> Compile(FieldRule rule, IReadOnlyList<string> sourceFields, Func<Pseudonymiser> pseudonymiser)
    {
        if (rule.Drop)
        {
            return static (_, _) => null;
        }

        Func<string?, string?> map = rule switch
        {
            { Transform: { } name } => FieldTransforms.Create(name, pseudonymiser),
            // Without otherwise, the loader made sure the input holds only listed values (an enum, a constant).
            { Map: { } table, Otherwise: "empty" } => v => v is not null && table.TryGetValue(v, out var mapped) ? mapped : null,
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

        // A loop rather than First(predicate): the lambda would capture the number, one closure per value.
        var number = decimal.Parse(value, CultureInfo.InvariantCulture);
        foreach (var band in bands)
        {
            if (band.Below is null || number < band.Below)
            {
                return band.Label;
            }
        }

        throw new InvalidOperationException("The last band has no upper bound (checked when the pipeline is loaded).");
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
