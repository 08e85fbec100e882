using System.Globalization;
using System.Text.RegularExpressions;

namespace Automotech.OpenData.Validation;

/// <summary>How a <see cref="RecordValidator"/> checks, beyond the schema itself.</summary>
public sealed record ValidatorOptions
{
    /// <summary>"source", or what produced the values (named in messages about published values).</summary>
    public string Origin { get; init; } = "source";

    /// <summary>The run's date, for <c>not_future</c>.</summary>
    public DateOnly Today { get; init; } = DateOnly.MaxValue;

    public IReadOnlyList<RowCheckDefinition> RowChecks { get; init; } = [];

    /// <summary>Reject <c>blank-row</c> and <c>duplicate-row</c> (source rows).</summary>
    public bool CheckRows { get; init; }

    /// <summary>Longest value accepted in any cell (source limit), or null.</summary>
    public int? MaxFieldChars { get; init; }

    /// <summary>Reject text cells that a spreadsheet would run as a formula (OWASP CSV injection).</summary>
    public bool RejectFormulas { get; init; }

    /// <summary>
    /// Private folder where the uniqueness checks spill the keys they have seen, so that memory
    /// stays flat whatever the input's size; null keeps them in memory (small inputs, tests).
    /// </summary>
    public string? SpillDirectory { get; init; }

    /// <summary>
    /// Threads that check a batch's cells, write their canonical values and hash the keys (each a
    /// share of its rows); the key lookups, rejections and warnings are in row order on the
    /// caller's thread, so the result is the same for any number. The pipeline passes
    /// <c>Pipeline:Threads</c>.
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>Digests each uniqueness check holds in memory before it spills to <see cref="SpillDirectory"/>.</summary>
    public int KeyMemoryCapacity { get; init; } = 1 << 17;
}

/// <summary>
/// Checks each row of a batch against a Table Schema (types, constraints, primary key), the
/// business and row checks the pipeline names, and the options; rewrites accepted values in
/// canonical form; removes rejected rows from the batch, handing each to the sink with every
/// reason. Warnings go to the sink too and keep their row. Uniqueness is tracked across
/// batches: the first valid occurrence wins.
/// </summary>
public sealed class RecordValidator : IDisposable
{
    /// <summary>OWASP's list: a cell starting with one of these may run as a spreadsheet formula.</summary>
    public static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    private readonly CompiledField[] fields;
    private readonly int[] primaryKey;
    private readonly string primaryKeyName;
    private readonly KeySet primaryKeys;
    private readonly KeySet rows;
    private readonly string[] missingValues;
    private readonly ValidatorOptions options;
    private readonly CompiledRowCheck[] rowChecks;
    private readonly CellChecker[] checkers;
    private BatchResults results = new([], 0);

    /// <param name="schema">The schema the batch's fields follow (same names, any order).</param>
    /// <param name="batchFields">The field names of the batches to validate.</param>
    public RecordValidator(TableSchema schema, IReadOnlyList<string> batchFields, ValidatorOptions? options = null)
    {
        this.options = options ?? new ValidatorOptions();
        primaryKeys = new KeySet(this.options.SpillDirectory, this.options.KeyMemoryCapacity);
        rows = new KeySet(this.options.SpillDirectory, this.options.KeyMemoryCapacity);
        missingValues = [.. schema.MissingValues.Distinct(StringComparer.Ordinal)];
        fields = schema.Fields.Select(f => new CompiledField(f, IndexOf(batchFields, f.Name), this.options.Today, this.options.SpillDirectory, this.options.KeyMemoryCapacity)).ToArray();
        primaryKey = schema.PrimaryKey.Select(k => Array.FindIndex(fields, x => string.Equals(x.Field.Name, k, StringComparison.Ordinal))).ToArray();

        // A one-field primary key that is also declared unique needs one set, not two.
        if (primaryKey is [var single] && fields[single].Seen is not null)
        {
            primaryKey = [];
        }

        primaryKeyName = string.Join(",", schema.PrimaryKey);
        rowChecks = this.options.RowChecks.Select(d => new CompiledRowCheck(d, name => Array.FindIndex(fields, x => x.Field.Name == name))).ToArray();
        checkers = Enumerable.Range(0, Math.Max(1, this.options.Threads)).Select(_ => new CellChecker(fields)).ToArray();
    }

    /// <summary>
    /// Whether a uniqueness check (primary key, duplicate rows, a unique field) has spilled its
    /// keys, and so holds about 21 MiB of buffers until disposed; false once disposed.
    /// </summary>
    public bool HasSpilledKeys => primaryKeys.HasSpilled || rows.HasSpilled || fields.Any(f => f.Seen?.HasSpilled == true);

    /// <summary>Deletes the spilled keys (they are digests of source values: private).</summary>
    public void Dispose()
    {
        primaryKeys.Dispose();
        rows.Dispose();
        foreach (var field in fields)
        {
            field.Seen?.Dispose();
        }
    }

    public void Validate(ColumnBatch batch, IRejectedRowSink sink)
    {
        // First what depends on one row only, with the rows shared between threads: cells, row
        // checks, the whole-row digest and the keys' digests; a row without errors gets its
        // canonical values in place. Then, in row order on this thread, what depends on the rows
        // before (duplicates, uniqueness) and everything the sink receives, in the order a single
        // pass would send it; a rejected row gets its source text back for the quarantine.
        if (results.Rows < batch.Count)
        {
            results = new BatchResults(fields, Math.Max(batch.Count, batch.Capacity));
        }

        CheckRows(batch);
        var rejected = results.Rejected;
        var anyRejected = false;
        for (var row = 0; row < batch.Count; row++)
        {
            var line = batch.LineNumber(row);
            List<RowError>? errors = null;
            if (options.CheckRows && WholeRowError(row, line) is { } wholeRow)
            {
                errors = [wholeRow];
            }
            else
            {
                if (results.Warnings[row] is { } warnings)
                {
                    foreach (var warning in warnings)
                    {
                        sink.Warn(warning);
                    }
                }

                errors = results.Errors[row];
                if (errors is null)
                {
                    CheckUniqueness(batch, row, line, ref errors);
                }
            }

            if (errors is not null)
            {
                RestoreSourceText(batch, row);
                Reject(batch, row, line, errors, sink);
                rejected[row] = anyRejected = true;
            }
        }

        var count = batch.Count;
        results.Clear(count);
        if (anyRejected)
        {
            batch.RemoveRows(rejected.AsSpan(0, count));
            Array.Clear(rejected, 0, count);
        }
    }

    /// <summary>The per-row work of a batch, in shares of rows on up to <see cref="ValidatorOptions.Threads"/> threads.</summary>
    private void CheckRows(ColumnBatch batch) =>
        RowShares.Run(batch.Count, RowShares.Count(batch.Count, checkers.Length), (share, from, to) => CheckRows(batch, checkers[share], from, to));

    private void CheckRows(ColumnBatch batch, CellChecker checker, int from, int to)
    {
        var canonical = checker.Canonical;
        for (var row = from; row < to; row++)
        {
            var line = batch.LineNumber(row);
            if (options.CheckRows)
            {
                results.Blank[row] = Digest(batch, row, checker, out results.Digests[row]);
                if (results.Blank[row])
                {
                    continue;
                }
            }

            List<RowError>? errors = null;
            List<RowError>? warnings = null;
            for (var f = 0; f < fields.Length; f++)
            {
                canonical[f] = CheckCell(checker, f, batch.Get(row, fields[f].Index), line, ref errors, ref warnings);
            }

            // Row checks compare fields that each passed their own checks.
            if (errors is null)
            {
                foreach (var check in rowChecks)
                {
                    check.Run(canonical, line, ref errors, ref warnings);
                }
            }

            results.Errors[row] = errors;
            results.Warnings[row] = warnings;
            if (errors is null)
            {
                KeyDigests(canonical, row, checker);
                for (var f = 0; f < fields.Length; f++)
                {
                    var raw = batch.Get(row, fields[f].Index);
                    if (!ReferenceEquals(raw, canonical[f]))
                    {
                        results.SourceText[f][row] = raw;
                        results.Changed[f] = true;
                        batch.Set(row, fields[f].Index, canonical[f]);
                    }
                }
            }
        }
    }

    /// <summary>The digests the uniqueness checks need, computed where the rows are shared.</summary>
    private void KeyDigests(string?[] canonical, int row, CellChecker checker)
    {
        for (var f = 0; f < fields.Length; f++)
        {
            if (fields[f].Seen is not null && canonical[f] is { } value)
            {
                results.UniqueDigests[f]![row] = KeySet.Digest(value);
            }
        }

        if (primaryKey.Length > 0)
        {
            results.KeyDigests[row] = KeySet.Digest(JoinKey(canonical, checker.KeyText));
        }
    }

    /// <summary>Puts back the text a row had in the source where validation wrote its canonical form.</summary>
    private void RestoreSourceText(ColumnBatch batch, int row)
    {
        for (var f = 0; f < fields.Length; f++)
        {
            if (results.Changed[f] && results.SourceText[f][row] is { } raw)
            {
                batch.Set(row, fields[f].Index, raw);
            }
        }
    }

    private static void Reject(ColumnBatch batch, int row, long line, List<RowError> errors, IRejectedRowSink sink)
    {
        var values = new string?[batch.FieldNames.Count];
        for (var c = 0; c < values.Length; c++)
        {
            values[c] = batch.Get(row, c);
        }

        sink.Reject(new RejectedRow(line, errors, values));
    }

    /// <summary>blank-row and duplicate-row: about the row as a whole, so they stand alone.</summary>
    private RowError? WholeRowError(int row, long line)
    {
        if (results.Blank[row])
        {
            return new RowError(line, null, "blank-row", "blank-row", "ligne vide : aucun champ déclaré n'est renseigné (une colonne ignorée ne compte pas)");
        }

        var digest = results.Digests[row];
        if (rows.Contains(digest))
        {
            return new RowError(line, null, "duplicate-row", "duplicate-row", "ligne identique à une ligne précédente");
        }

        rows.Add(digest);
        return null;
    }

    /// <summary>Whether every cell of the row is missing or blank; otherwise its digest, for duplicate-row.</summary>
    private static bool Digest(ColumnBatch batch, int row, CellChecker checker, out UInt128 digest)
    {
        // The row's cells, each followed by a separator that tells null from empty, hashed in
        // one call (appending cell by cell costs several times more).
        var blank = true;
        var text = checker.RowText;
        text.Clear();
        for (var c = 0; c < batch.FieldNames.Count; c++)
        {
            var value = batch.Get(row, c);
            if (value is not null)
            {
                blank &= value.AsSpan().Trim().Length == 0;
                text.Append(value);
            }

            text.Append(value is null ? '\u0000' : '\u001f');
        }

        digest = blank ? default : KeySet.Digest(text.Span);
        return blank;
    }

    private string? CheckCell(CellChecker checker, int fieldIndex, string? raw, long line, ref List<RowError>? errors, ref List<RowError>? warnings)
    {
        var f = fields[fieldIndex];
        var field = f.Field;
        if (raw is null || IsMissing(raw))
        {
            if (field.Constraints.Required)
            {
                Add(ref errors, new RowError(line, field.Name, "constraint-error", "required", $"« {field.Name} » est obligatoire mais vide{Suffix}"));
            }

            return null;
        }

        if (options.MaxFieldChars is { } limit && raw.Length > limit)
        {
            Add(ref errors, new RowError(line, field.Name, "constraint-error", "maxLength", $"« {field.Name} » dépasse la limite de {limit} caractères fixée pour la source"));
            return null;
        }

        var value = FieldTypes.Normalise(field, raw);
        if (value is null)
        {
            Add(ref errors, new RowError(line, field.Name, "type-error", field.Type, $"« {field.Name} » n'est pas du type {field.Type}{Expected(field)}{Suffix}"));
            return null;
        }

        // Business checks may normalise ("2910Z" → "29.10Z", "732 829 320 00074" → 14 digits),
        // and the constraints then apply to the normalised value.
        foreach (var (name, type, check) in f.Checks)
        {
            var result = check(value);
            if (result.Message is { } message)
            {
                Add(ref errors, new RowError(line, field.Name, type, name, $"« {field.Name} » : {message}{Suffix}"));
                return null;
            }

            value = result.Value!;
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

        if (checker.Patterns[fieldIndex] is { } pattern && !pattern.IsMatch(value))
        {
            Add(ref errors, new RowError(line, field.Name, "constraint-error", "pattern", $"« {field.Name} » ne respecte pas le format attendu{Suffix}"));
        }

        if (f.Enum is { } allowed && !allowed.Contains(value))
        {
            Add(ref errors, new RowError(line, field.Name, "constraint-error", "enum", $"« {field.Name} » ne fait pas partie des valeurs autorisées ({Allowed(field)} ; la casse compte){Suffix}"));
        }

        if (f.Minimum is { } minimum && checker.CompareToMinimum[fieldIndex]!(value) < 0)
        {
            Add(ref errors, new RowError(line, field.Name, "constraint-error", "minimum", $"« {field.Name} » est inférieur au minimum {minimum}{Suffix}"));
        }

        if (f.Maximum is { } maximum && checker.CompareToMaximum[fieldIndex]!(value) > 0)
        {
            Add(ref errors, new RowError(line, field.Name, "constraint-error", "maximum", $"« {field.Name} » est supérieur au maximum {maximum}{Suffix}"));
        }

        if (options.RejectFormulas && field.Type == "string" && value.Length > 0 && FormulaStarts.Contains(value[0]))
        {
            Add(ref errors, new RowError(line, field.Name, "csv-injection", "formula", $"« {field.Name} » commence par un caractère qu'un tableur exécuterait comme formule{Suffix}"));
        }

        foreach (var (name, type, check) in f.Warnings)
        {
            if (check(value).Message is { } message)
            {
                Add(ref warnings, new RowError(line, field.Name, type, name, $"« {field.Name} » : {message}", IsWarning: true));
            }
        }

        return value;
    }

    private void CheckUniqueness(ColumnBatch batch, int row, long line, ref List<RowError>? errors)
    {
        // Unique fields and the primary key are recorded only for rows that pass every other
        // check, so a rejected first occurrence does not shadow a valid later one. The row's
        // cells hold their canonical values (it had no error), a missing one null.
        for (var f = 0; f < fields.Length; f++)
        {
            if (fields[f].Seen is { } seen && batch.Get(row, fields[f].Index) is not null && seen.Contains(results.UniqueDigests[f]![row]))
            {
                Add(ref errors, new RowError(line, fields[f].Field.Name, "unique-error", "unique", $"« {fields[f].Field.Name} » déjà présent sur une ligne précédente{Suffix}"));
            }
        }

        if (primaryKey.Length > 0 && primaryKeys.Contains(results.KeyDigests[row]))
        {
            Add(ref errors, new RowError(line, primaryKeyName, "primary-key", "primaryKey", $"clé primaire déjà présente sur une ligne précédente{Suffix}"));
        }

        if (errors is not null)
        {
            return;
        }

        for (var f = 0; f < fields.Length; f++)
        {
            if (fields[f].Seen is { } seen && batch.Get(row, fields[f].Index) is not null)
            {
                seen.Add(results.UniqueDigests[f]![row]);
            }
        }

        if (primaryKey.Length > 0)
        {
            primaryKeys.Add(results.KeyDigests[row]);
        }
    }

    /// <summary>The primary key's values joined by U+001F (as <c>string.Join</c> would), without a string per row.</summary>
    private ReadOnlySpan<char> JoinKey(string?[] canonical, KeyText keyText)
    {
        keyText.Clear();
        for (var i = 0; i < primaryKey.Length; i++)
        {
            if (i > 0)
            {
                keyText.Append('\u001f');
            }

            keyText.Append(canonical[primaryKey[i]]);
        }

        return keyText.Span;
    }

    /// <summary>Table Schema's missingValues: a short list (usually just ""), compared without hashing the cell.</summary>
    private bool IsMissing(string raw)
    {
        foreach (var missing in missingValues)
        {
            if (raw.Length == missing.Length && string.Equals(raw, missing, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private string Suffix => options.Origin == "source" ? "" : $" (valeur publiée, {options.Origin})";

    private static void Add(ref List<RowError>? errors, RowError error) => (errors ??= []).Add(error);

    /// <summary>What a type reads, said to whoever fixes the source (its values are the schema's, never the cell's).</summary>
    private static string Expected(SchemaField field) => field.Type switch
    {
        "date" => " : une date s'écrit AAAA-MM-JJ (ISO 8601, 2025-09-01)",
        "datetime" => " : une date et heure s'écrit AAAA-MM-JJTHH:MM:SS (ISO 8601, 2025-09-01T08:30:00)",
        "integer" => " : un nombre entier s'écrit en chiffres, sans espace ni séparateur",
        "number" => " : un nombre s'écrit en chiffres, avec un point décimal (12.5), sans espace ni séparateur",
        "year" => " : une année s'écrit en quatre chiffres",
        "boolean" => $" : valeurs acceptées {string.Join(", ", field.TrueValues)} ou {string.Join(", ", field.FalseValues)}",
        _ => "",
    };

    /// <summary>The enum's values (the first 20 of a longer list).</summary>
    private static string Allowed(SchemaField field) =>
        field.Constraints.Enum is { } values
            ? string.Join(", ", values.Take(20)) + (values.Count > 20 ? $"… ({values.Count} valeurs)" : "")
            : "";

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
        public CompiledField(SchemaField field, int index, DateOnly today, string? spillDirectory, int keyMemoryCapacity)
        {
            Field = field;
            Index = index;
            var c = field.Constraints;

            // Table Schema patterns match the whole value. NonBacktracking runs in linear time,
            // so no pattern can stall a run, without a per-match timeout.
            Pattern = c.Pattern is null ? null : new Regex($"^(?:{c.Pattern})$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            Enum = c.Enum is null ? null : new HashSet<string>(c.Enum.Select(v => FieldTypes.Normalise(field, v) ?? v), StringComparer.Ordinal);
            Minimum = c.Minimum is null ? null : FieldTypes.Normalise(field, c.Minimum) ?? throw new PipelineException($"Field '{field.Name}': minimum '{c.Minimum}' is not a {field.Type}.");
            Maximum = c.Maximum is null ? null : FieldTypes.Normalise(field, c.Maximum) ?? throw new PipelineException($"Field '{field.Name}': maximum '{c.Maximum}' is not a {field.Type}.");
            Seen = c.Unique ? new KeySet(spillDirectory, keyMemoryCapacity) : null;
            Checks = Compile(field.Checks, today);
            Warnings = Compile(field.Warnings, today);
        }

        public SchemaField Field { get; }

        public int Index { get; }

        /// <summary>The pattern (thread-safe); each <see cref="CellChecker"/> remembers its own answers.</summary>
        public Regex? Pattern { get; }

        public HashSet<string>? Enum { get; }

        public string? Minimum { get; }

        public string? Maximum { get; }

        public KeySet? Seen { get; }

        public (string Name, string Type, Func<string, CheckResult> Check)[] Checks { get; }

        public (string Name, string Type, Func<string, CheckResult> Check)[] Warnings { get; }

        private static (string, string, Func<string, CheckResult>)[] Compile(List<string> names, DateOnly today) =>
            names.Select(name =>
            {
                var (type, check) = BusinessChecks.Get(name, today);
                return (name, type, check);
            }).ToArray();
    }

    /// <summary>
    /// What one thread needs of its own to check cells: the patterns' remembered answers, the
    /// bounds' comparers (they remember the last value parsed) and buffers.
    /// </summary>
    private sealed class CellChecker
    {
        public CellChecker(CompiledField[] fields)
        {
            Patterns = [.. fields.Select(f => f.Pattern is null ? null : new PatternCheck(f.Pattern))];
            CompareToMinimum = new Func<string, int>?[fields.Length];
            CompareToMaximum = new Func<string, int>?[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                // Both bounds of a field share the value parsed once.
                var last = new FieldTypes.LastParsed();
                CompareToMinimum[i] = fields[i].Minimum is { } minimum ? FieldTypes.Comparer(fields[i].Field.Type, minimum, last) : null;
                CompareToMaximum[i] = fields[i].Maximum is { } maximum ? FieldTypes.Comparer(fields[i].Field.Type, maximum, last) : null;
            }

            Canonical = new string?[fields.Length];
        }

        public PatternCheck?[] Patterns { get; }

        public Func<string, int>?[] CompareToMinimum { get; }

        public Func<string, int>?[] CompareToMaximum { get; }

        /// <summary>The current row's canonical values, for the row checks.</summary>
        public string?[] Canonical { get; }

        /// <summary>The row's text, for its duplicate-row digest.</summary>
        public KeyText RowText { get; } = new();

        /// <summary>The row's primary key, for its digest.</summary>
        public KeyText KeyText { get; } = new();
    }

    /// <summary>The per-row results of a batch, kept from one batch to the next (sized to the largest).</summary>
    private sealed class BatchResults
    {
        public BatchResults(CompiledField[] fields, int rows)
        {
            Rows = rows;
            SourceText = new string?[fields.Length][];
            UniqueDigests = new UInt128[]?[fields.Length];
            for (var f = 0; f < fields.Length; f++)
            {
                SourceText[f] = new string?[rows];
                UniqueDigests[f] = fields[f].Seen is null ? null : new UInt128[rows];
            }

            Changed = new bool[fields.Length];
            Errors = new List<RowError>?[rows];
            Warnings = new List<RowError>?[rows];
            Blank = new bool[rows];
            Digests = new UInt128[rows];
            KeyDigests = new UInt128[rows];
            Rejected = new bool[rows];
        }

        public int Rows { get; }

        /// <summary>Each field's source text, by row, where the cell now holds another (canonical) text.</summary>
        public string?[][] SourceText { get; }

        /// <summary>Whether any row of the batch has a cell of the field in <see cref="SourceText"/>.</summary>
        public bool[] Changed { get; }

        public List<RowError>?[] Errors { get; }

        public List<RowError>?[] Warnings { get; }

        public bool[] Blank { get; }

        /// <summary>Whole-row digests, for duplicate-row.</summary>
        public UInt128[] Digests { get; }

        /// <summary>Digests of the unique fields' canonical values, by field (null for a field that is not unique).</summary>
        public UInt128[]?[] UniqueDigests { get; }

        /// <summary>Digests of the primary key's canonical values.</summary>
        public UInt128[] KeyDigests { get; }

        /// <summary>Rows the batch loses (all false between batches).</summary>
        public bool[] Rejected { get; }

        /// <summary>Drops the batch's texts and reasons, so that they do not outlive it.</summary>
        public void Clear(int count)
        {
            for (var f = 0; f < SourceText.Length; f++)
            {
                if (Changed[f])
                {
                    Array.Clear(SourceText[f], 0, count);
                    Changed[f] = false;
                }
            }

            Array.Clear(Errors, 0, count);
            Array.Clear(Warnings, 0, count);
        }
    }

    /// <summary>
    /// A pattern with its answers remembered for repeated values: codes (NAF, commune, postcode,
    /// legal category) take a few thousand distinct values over millions of rows, and a lookup
    /// costs a fraction of a match. A field whose values are mostly distinct (identifiers, URLs)
    /// stops remembering after its first 20,000 cells; at most 16,384 answers are kept.
    /// </summary>
    internal sealed class PatternCheck(Regex regex)
    {
        private const int MaxRemembered = 16_384;
        private const int Trial = 20_000;

        private Dictionary<string, bool>? remembered = new(StringComparer.Ordinal);
        private long lookups;
        private long hits;

        public bool IsMatch(string value)
        {
            if (remembered is null)
            {
                return regex.IsMatch(value);
            }

            lookups++;
            if (remembered.TryGetValue(value, out var known))
            {
                hits++;
                return known;
            }

            var match = regex.IsMatch(value);
            if (remembered.Count < MaxRemembered)
            {
                remembered[value] = match;
            }

            if (lookups == Trial && hits * 2 < lookups)
            {
                remembered = null; // mostly distinct values: remembering does not pay
            }

            return match;
        }
    }

    private sealed class CompiledRowCheck
    {
        private readonly RowCheckDefinition definition;
        private readonly int postcode;
        private readonly int commune;
        private readonly int latitude;
        private readonly int longitude;

        public CompiledRowCheck(RowCheckDefinition definition, Func<string, int> indexOf)
        {
            this.definition = definition;
            postcode = definition.Postcode is null ? -1 : indexOf(definition.Postcode);
            commune = definition.Commune is null ? -1 : indexOf(definition.Commune);
            latitude = definition.Latitude is null ? -1 : indexOf(definition.Latitude);
            longitude = definition.Longitude is null ? -1 : indexOf(definition.Longitude);
        }

        public void Run(string?[] values, long line, ref List<RowError>? errors, ref List<RowError>? warnings)
        {
            // Half a position (a latitude without its longitude, or the reverse) is no position: it
            // would be published as such, a GeoJSON feature without a point whose row says where it is.
            if (definition.Check == "position_near_commune" && latitude >= 0 && longitude >= 0
                && (values[latitude] is null) != (values[longitude] is null))
            {
                var (given, missing) = values[latitude] is null ? (definition.Longitude, definition.Latitude) : (definition.Latitude, definition.Longitude);
                Add(ref errors, new RowError(line, $"{definition.Latitude},{definition.Longitude}", "position-error", definition.Check, $"position incomplète : « {given} » est renseignée mais pas « {missing} »"));
            }

            if (commune < 0 || values[commune] is not { } code)
            {
                return;
            }

            if (definition.Check == "postcode_matches_commune" && postcode >= 0 && values[postcode] is { } cp
                && RowChecks.CheckPostcode(cp, code) is var (message, isWarning))
            {
                var error = new RowError(line, definition.Postcode, "postcode-error", definition.Check, $"« {definition.Postcode} » : {message}", isWarning);
                Add(ref isWarning ? ref warnings : ref errors, error);
            }

            if (definition.Check == "position_near_commune" && latitude >= 0 && longitude >= 0
                && values[latitude] is { } lat && values[longitude] is { } lon
                && RowChecks.CheckPosition(double.Parse(lat, CultureInfo.InvariantCulture), double.Parse(lon, CultureInfo.InvariantCulture), code, definition.MaxKm) is { } far)
            {
                Add(ref errors, new RowError(line, $"{definition.Latitude},{definition.Longitude}", "position-error", definition.Check, far));
            }
        }
    }
}
