using System.Text.RegularExpressions;

namespace Automotech.OpenData.Validation;

/// <summary>
/// Checks each row of a batch against a Table Schema (types, constraints, primary key) and the
/// business checks its fields name, rewrites accepted values in canonical form, and removes
/// rejected rows from the batch, handing each to <see cref="IRejectedRowSink"/> with every reason.
/// Uniqueness is tracked across batches, first valid occurrence wins.
/// </summary>
public sealed class RecordValidator
{
    private readonly CompiledField[] fields;
    private readonly int[] primaryKey;
    private readonly string primaryKeyName;
    private readonly KeySet primaryKeys = new();
    private readonly HashSet<string> missingValues;
    private readonly string origin;

    /// <param name="schema">The schema the batch's fields follow (same names, any order).</param>
    /// <param name="batchFields">The field names of the batches to validate.</param>
    /// <param name="origin">Who produced the values: named in messages of published-schema errors.</param>
    public RecordValidator(TableSchema schema, IReadOnlyList<string> batchFields, string origin = "source")
    {
        this.origin = origin;
        missingValues = new HashSet<string>(schema.MissingValues, StringComparer.Ordinal);
        fields = schema.Fields.Select(f => new CompiledField(f, IndexOf(batchFields, f.Name))).ToArray();
        primaryKey = schema.PrimaryKey.Select(k => Array.FindIndex(fields, x => string.Equals(x.Field.Name, k, StringComparison.Ordinal))).ToArray();

        // A one-field primary key that is also declared unique needs one set, not two.
        if (primaryKey is [var single] && fields[single].Seen is not null)
        {
            primaryKey = [];
        }

        primaryKeyName = string.Join(",", schema.PrimaryKey);
    }

    public long RowsChecked { get; private set; }

    public long RowsRejected { get; private set; }

    public void Validate(ColumnBatch batch, IRejectedRowSink sink)
    {
        Span<bool> rejected = batch.Count <= 4096 ? stackalloc bool[batch.Count] : new bool[batch.Count];
        var canonical = new string?[fields.Length];
        List<RowError>? errors = null;
        for (var row = 0; row < batch.Count; row++)
        {
            var line = batch.LineNumber(row);
            for (var f = 0; f < fields.Length; f++)
            {
                canonical[f] = CheckCell(fields[f], batch.Get(row, fields[f].Index), line, ref errors);
            }

            if (errors is null)
            {
                CheckUniqueness(canonical, line, ref errors);
            }

            if (errors is null)
            {
                for (var f = 0; f < fields.Length; f++)
                {
                    batch.Set(row, fields[f].Index, canonical[f]);
                }
            }
            else
            {
                rejected[row] = true;
                var values = new string?[batch.FieldNames.Count];
                for (var c = 0; c < values.Length; c++)
                {
                    values[c] = batch.Get(row, c);
                }

                sink.Reject(new RejectedRow(line, errors, values));
                errors = null;
                RowsRejected++;
            }
        }

        RowsChecked += batch.Count;
        batch.RemoveRows(rejected);
    }

    private string? CheckCell(CompiledField f, string? raw, long line, ref List<RowError>? errors)
    {
        var field = f.Field;
        if (raw is null || missingValues.Contains(raw))
        {
            if (field.Constraints.Required)
            {
                Add(ref errors, new RowError(line, field.Name, "constraint-error", "required", $"« {field.Name} » est obligatoire mais vide{Suffix}"));
            }

            return null;
        }

        var value = FieldTypes.Normalise(field, raw);
        if (value is null)
        {
            Add(ref errors, new RowError(line, field.Name, "type-error", field.Type, $"« {field.Name} » n'est pas du type {field.Type}{Suffix}"));
            return null;
        }

        var c = field.Constraints;
        if (c.MinLength is { } min && value.Length < min)
        {
            Add(ref errors, new RowError(line, field.Name, "constraint-error", "minLength", $"« {field.Name} » compte moins de {min} caractères{Suffix}"));
        }

        if (c.MaxLength is { } max && value.Length > max)
        {
            Add(ref errors, new RowError(line, field.Name, "constraint-error", "maxLength", $"« {field.Name} » dépasse {max} caractères{Suffix}"));
        }

        if (f.Pattern is { } pattern && !pattern.IsMatch(value))
        {
            Add(ref errors, new RowError(line, field.Name, "constraint-error", "pattern", $"« {field.Name} » ne respecte pas le format attendu{Suffix}"));
        }

        if (f.Enum is { } allowed && !allowed.Contains(value))
        {
            Add(ref errors, new RowError(line, field.Name, "constraint-error", "enum", $"« {field.Name} » ne fait pas partie des valeurs autorisées{Suffix}"));
        }

        if (f.Minimum is { } minimum && FieldTypes.Compare(field.Type, value, minimum) < 0)
        {
            Add(ref errors, new RowError(line, field.Name, "constraint-error", "minimum", $"« {field.Name} » est inférieur au minimum {minimum}{Suffix}"));
        }

        if (f.Maximum is { } maximum && FieldTypes.Compare(field.Type, value, maximum) > 0)
        {
            Add(ref errors, new RowError(line, field.Name, "constraint-error", "maximum", $"« {field.Name} » est supérieur au maximum {maximum}{Suffix}"));
        }

        foreach (var (name, type, check) in f.Checks)
        {
            if (check(value) is { } message)
            {
                Add(ref errors, new RowError(line, field.Name, type, name, $"« {field.Name} » : {message}{Suffix}"));
            }
        }

        return value;
    }

    private void CheckUniqueness(string?[] canonical, long line, ref List<RowError>? errors)
    {
        // Unique fields and the primary key are recorded only for rows that pass every other
        // check, so a rejected first occurrence does not shadow a valid later one.
        Span<UInt128> digests = stackalloc UInt128[fields.Length];
        for (var f = 0; f < fields.Length; f++)
        {
            if (fields[f].Seen is { } seen && canonical[f] is { } value && seen.Contains(digests[f] = KeySet.Digest(value)))
            {
                Add(ref errors, new RowError(line, fields[f].Field.Name, "unique-error", "unique", $"« {fields[f].Field.Name} » déjà présent sur une ligne précédente{Suffix}"));
            }
        }

        UInt128? key = null;
        if (primaryKey.Length > 0)
        {
            key = KeySet.Digest(string.Join('\u001f', primaryKey.Select(p => canonical[p] ?? "")));
            if (primaryKeys.Contains(key.Value))
            {
                Add(ref errors, new RowError(line, primaryKeyName, "primary-key", "primaryKey", $"clé primaire déjà présente sur une ligne précédente{Suffix}"));
            }
        }

        if (errors is not null)
        {
            return;
        }

        for (var f = 0; f < fields.Length; f++)
        {
            if (fields[f].Seen is { } seen && canonical[f] is not null)
            {
                seen.Add(digests[f]);
            }
        }

        if (key is { } k)
        {
            primaryKeys.Add(k);
        }
    }

    private string Suffix => origin == "source" ? "" : $" (valeur publiée, {origin})";

    private static void Add(ref List<RowError>? errors, RowError error) => (errors ??= []).Add(error);

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"The batch has no field '{name}'.");
    }

    private sealed class CompiledField
    {
        public CompiledField(SchemaField field, int index)
        {
            Field = field;
            Index = index;
            var c = field.Constraints;

            // Table Schema patterns match the whole value. NonBacktracking runs in linear time,
            // so no pattern can stall a run, without a per-match timeout (which cost a third of
            // validation time when measured).
            Pattern = c.Pattern is null ? null : new Regex($"^(?:{c.Pattern})$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            Enum = c.Enum is null ? null : new HashSet<string>(c.Enum.Select(v => FieldTypes.Normalise(field, v) ?? v), StringComparer.Ordinal);
            Minimum = c.Minimum is null ? null : FieldTypes.Normalise(field, c.Minimum) ?? throw new PipelineException($"Field '{field.Name}': minimum '{c.Minimum}' is not a {field.Type}.");
            Maximum = c.Maximum is null ? null : FieldTypes.Normalise(field, c.Maximum) ?? throw new PipelineException($"Field '{field.Name}': maximum '{c.Maximum}' is not a {field.Type}.");
            Seen = c.Unique ? new KeySet() : null;
            Checks = field.Checks.Select(name =>
            {
                var (type, check) = BusinessChecks.Get(name);
                return (name, type, check);
            }).ToArray();
        }

        public SchemaField Field { get; }

        public int Index { get; }

        public Regex? Pattern { get; }

        public HashSet<string>? Enum { get; }

        public string? Minimum { get; }

        public string? Maximum { get; }

        public KeySet? Seen { get; }

        public (string Name, string Type, Func<string, string?> Check)[] Checks { get; }
    }
}

/// <summary>Receives rejected rows (the quarantine, or a list in tests).</summary>
public interface IRejectedRowSink
{
    void Reject(RejectedRow row);
}
