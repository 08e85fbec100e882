namespace Automotech.OpenData;

/// <summary>
/// The unit that flows between stages: up to a few tens of thousands of rows, stored as one
/// array of values per field (columns, not rows). Values are text in the field's canonical
/// form (invariant numbers, ISO dates, "true"/"false"); null means missing. Each row keeps the
/// line of the source file it started on, so any later error can name it.
/// <para>
/// A field can also hold its cells as the UTF-8 bytes a reader parsed (<see cref="SetUtf8"/>),
/// for text that no rule reads: a string is then made only if something asks for the cell
/// (<see cref="Get"/>, <see cref="Column"/>), such as a rejected row's quarantine record.
/// </para>
/// </summary>
public sealed class ColumnBatch
{
    private readonly string?[][] columns;
    private readonly Utf8Cells?[] utf8;
    private Utf8Cells[] held = []; // the fields of utf8 that are not null
    private readonly long[] lineNumbers;

    public ColumnBatch(IReadOnlyList<string> fieldNames, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        FieldNames = fieldNames;
        Capacity = capacity;
        columns = new string?[fieldNames.Count][];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = new string?[capacity];
        }

        utf8 = new Utf8Cells?[fieldNames.Count];
        lineNumbers = new long[capacity];
    }

    public IReadOnlyList<string> FieldNames { get; }

    public int Capacity { get; }

    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    /// <summary>The values of one field; only the first <see cref="Count"/> are meaningful.</summary>
    public string?[] Column(int fieldIndex)
    {
        if (utf8[fieldIndex] is { } cells)
        {
            for (var row = 0; row < Count; row++)
            {
                if (cells.Has(row) && columns[fieldIndex][row] is null)
                {
                    Materialise(cells, row, fieldIndex);
                }
            }
        }

        return columns[fieldIndex];
    }

    public int IndexOf(string fieldName)
    {
        for (var i = 0; i < FieldNames.Count; i++)
        {
            if (string.Equals(FieldNames[i], fieldName, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    public long LineNumber(int row) => lineNumbers[row];

    /// <summary>Appends an empty row and returns its index; the caller fills its cells.</summary>
    public int AddRow(long lineNumber)
    {
        if (IsFull)
        {
            throw new InvalidOperationException("The batch is full.");
        }

        lineNumbers[Count] = lineNumber;
        return Count++;
    }

    public void Set(int row, int fieldIndex, string? value)
    {
        columns[fieldIndex][row] = value;
        utf8[fieldIndex]?.Forget(row);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public string? Get(int row, int fieldIndex)
    {
        // Kept small enough to be inlined: every stage reads cells through it.
        var value = columns[fieldIndex][row];
        return value is not null || utf8[fieldIndex] is null ? value : GetFromUtf8(row, fieldIndex);
    }

    /// <summary>Sets a cell to the text whose UTF-8 bytes are given (copied), without making a string.</summary>
    public void SetUtf8(int row, int fieldIndex, ReadOnlySpan<byte> value)
    {
        columns[fieldIndex][row] = null;
        (utf8[fieldIndex] ?? Hold(fieldIndex)).Set(row, value);
    }

    /// <summary>
    /// The cell's UTF-8 bytes when it was set with <see cref="SetUtf8"/> (and not set again since);
    /// false for a cell that holds a string or is missing. Valid until the batch changes.
    /// </summary>
    public bool TryGetUtf8(int row, int fieldIndex, out ReadOnlySpan<byte> value)
    {
        if (utf8[fieldIndex] is { } cells && cells.Has(row))
        {
            value = cells.Get(row);
            return true;
        }

        value = default;
        return false;
    }

    private Utf8Cells Hold(int fieldIndex)
    {
        var cells = utf8[fieldIndex] = new Utf8Cells(Capacity);
        held = [.. held, cells];
        return cells;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private string? GetFromUtf8(int row, int fieldIndex) =>
        utf8[fieldIndex] is { } cells && cells.Has(row) ? Materialise(cells, row, fieldIndex) : null;

    private string Materialise(Utf8Cells cells, int row, int fieldIndex) =>
        columns[fieldIndex][row] = System.Text.Encoding.UTF8.GetString(cells.Get(row));

    /// <summary>Keeps only the rows whose flag is false, in order (used to drop rejected rows).</summary>
    public void RemoveRows(ReadOnlySpan<bool> removed)
    {
        var kept = 0;
        for (var row = 0; row < Count; row++)
        {
            if (removed[row])
            {
                continue;
            }

            if (kept != row)
            {
                foreach (var column in columns)
                {
                    column[kept] = column[row];
                }

                foreach (var cells in held)
                {
                    cells.Move(row, kept);
                }

                lineNumbers[kept] = lineNumbers[row];
            }

            kept++;
        }

        for (var row = kept; row < Count; row++)
        {
            foreach (var column in columns)
            {
                column[row] = null;
            }

            foreach (var cells in held)
            {
                cells.Forget(row);
            }
        }

        Count = kept;
    }

    /// <summary>Replaces this batch's rows by <paramref name="other"/>'s (same fields; values are shared, not copied).</summary>
    public void CopyFrom(ColumnBatch other)
    {
        if (other.FieldNames.Count != FieldNames.Count || other.Count > Capacity)
        {
            throw new InvalidOperationException("The batches do not have the same fields, or this one is too small.");
        }

        Clear();
        for (var c = 0; c < columns.Length; c++)
        {
            Array.Copy(other.columns[c], columns[c], other.Count);
            if (other.utf8[c] is { } cells)
            {
                (utf8[c] ?? Hold(c)).CopyFrom(cells, other.Count);
            }
        }

        Array.Copy(other.lineNumbers, lineNumbers, other.Count);
        Count = other.Count;
    }

    /// <summary>Empties the batch so its arrays can be reused for the next rows.</summary>
    public void Clear()
    {
        foreach (var column in columns)
        {
            Array.Clear(column, 0, Count);
        }

        foreach (var cells in held)
        {
            cells.Clear(Count);
        }

        Count = 0;
    }

    /// <summary>A field's cells held as UTF-8: one growing buffer for the batch, a slice per row.</summary>
    private sealed class Utf8Cells(int capacity)
    {
        private readonly int[] starts = new int[capacity];
        private readonly int[] lengths = NoBytes(capacity);
        private byte[] bytes = new byte[Math.Max(256, capacity * 16)];
        private int used;

        public bool Has(int row) => lengths[row] >= 0;

        public ReadOnlySpan<byte> Get(int row) => bytes.AsSpan(starts[row], lengths[row]);

        public void Set(int row, ReadOnlySpan<byte> value)
        {
            if (used + value.Length > bytes.Length)
            {
                Array.Resize(ref bytes, Math.Max(bytes.Length * 2, used + value.Length));
            }

            value.CopyTo(bytes.AsSpan(used));
            starts[row] = used;
            lengths[row] = value.Length;
            used += value.Length;
        }

        public void Forget(int row) => lengths[row] = -1;

        public void Move(int from, int to)
        {
            starts[to] = starts[from];
            lengths[to] = lengths[from];
        }

        public void CopyFrom(Utf8Cells other, int count)
        {
            if (other.used > bytes.Length)
            {
                bytes = new byte[other.bytes.Length];
            }

            Array.Copy(other.bytes, bytes, other.used);
            used = other.used;
            Array.Copy(other.starts, starts, count);
            Array.Copy(other.lengths, lengths, count);
        }

        public void Clear(int count)
        {
            Array.Fill(lengths, -1, 0, count);
            used = 0;
        }

        private static int[] NoBytes(int capacity)
        {
            var lengths = new int[capacity];
            Array.Fill(lengths, -1);
            return lengths;
        }
    }
}
