namespace Automotech.OpenData;

/// <summary>
/// One column of a batch held as UTF-8 bytes: the values one after the other in one reused
/// buffer, each cell its start and length (−1 for a missing value). The form a pipeline without
/// a string per cell would hand its writers (docs/benchmarks.md, <i>The gap to the targets</i>);
/// today the CSV reader fills it (<see cref="Utf8Batch"/>) and both writers take it, for the
/// benchmarks' floor without strings only.
/// </summary>
internal sealed class Utf8Column
{
    private byte[] bytes;
    private int[] starts;
    private int[] lengths;
    private int used;

    public Utf8Column(int capacity = 1024, int byteCapacity = 1 << 16)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        bytes = new byte[Math.Max(16, byteCapacity)];
        starts = new int[capacity];
        lengths = new int[capacity];
    }

    public int Count { get; private set; }

    /// <summary>The value's bytes; empty for a missing value (tell them apart with <see cref="IsNull"/>).</summary>
    public ReadOnlySpan<byte> this[int i]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)Count, nameof(i));
            return lengths[i] < 0 ? default : bytes.AsSpan(starts[i], lengths[i]);
        }
    }

    public bool IsNull(int i)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)Count, nameof(i));
        return lengths[i] < 0;
    }

    public void Add(ReadOnlySpan<byte> value)
    {
        Grow();
        if (used + value.Length > bytes.Length)
        {
            Array.Resize(ref bytes, Math.Max(bytes.Length * 2, used + value.Length));
        }

        value.CopyTo(bytes.AsSpan(used));
        starts[Count] = used;
        lengths[Count++] = value.Length;
        used += value.Length;
    }

    public void AddNull()
    {
        Grow();
        starts[Count] = used;
        lengths[Count++] = -1;
    }

    /// <summary>Empties the column, keeping its buffers for the next batch.</summary>
    public void Clear()
    {
        Count = 0;
        used = 0;
    }

    private void Grow()
    {
        if (Count == starts.Length)
        {
            Array.Resize(ref starts, starts.Length * 2);
            Array.Resize(ref lengths, lengths.Length * 2);
        }
    }
}
