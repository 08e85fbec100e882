namespace Automotech.OpenData;

/// <summary>
/// A batch whose cells are UTF-8 bytes (<see cref="Utf8Column"/>, one per field), each row with
/// the line of the source it started on: what <see cref="ColumnBatch"/> would become in a
/// pipeline without a string per cell. Today only the benchmarks' floor without strings reads
/// into it and writes from it (docs/benchmarks.md, <i>The gap to the targets</i>).
/// </summary>
internal sealed class Utf8Batch
{
    private readonly long[] lineNumbers;

    public Utf8Batch(IReadOnlyList<string> fieldNames, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        FieldNames = fieldNames;
        Capacity = capacity;
        Columns = [.. fieldNames.Select(_ => new Utf8Column(capacity))];
        lineNumbers = new long[capacity];
    }

    public IReadOnlyList<string> FieldNames { get; }

    public int Capacity { get; }

    public Utf8Column[] Columns { get; }

    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    public long LineNumber(int row) => lineNumbers[row];

    /// <summary>Starts a row; the caller then adds one cell to every column.</summary>
    public void AddRow(long lineNumber)
    {
        if (IsFull)
        {
            throw new InvalidOperationException("The batch is full.");
        }

        lineNumbers[Count++] = lineNumber;
    }

    public void Clear()
    {
        Count = 0;
        foreach (var column in Columns)
        {
            column.Clear();
        }
    }
}
