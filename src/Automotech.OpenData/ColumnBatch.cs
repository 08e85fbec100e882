namespace Automotech.OpenData;

/// <summary>
/// The unit that flows between stages: up to a few tens of thousands of rows, stored as one
/// array of values per field (columns, not rows). Values are text in the field's canonical
/// form (invariant numbers, ISO dates, "true"/"false"); null means missing. Each row keeps the
/// line of the source file it started on, so any later error can name it.
/// </summary>
public sealed class ColumnBatch
{
    private readonly string?[][] columns;
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

        lineNumbers = new long[capacity];
    }

    public IReadOnlyList<string> FieldNames { get; }

    public int Capacity { get; }

    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    /// <summary>The values of one field; only the first <see cref="Count"/> are meaningful.</summary>
    public string?[] Column(int fieldIndex) => columns[fieldIndex];

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

    public void Set(int row, int fieldIndex, string? value) => columns[fieldIndex][row] = value;

    public string? Get(int row, int fieldIndex) => columns[fieldIndex][row];

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

        Count = 0;
    }
}
