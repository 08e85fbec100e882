using System.Buffers.Binary;

namespace Automotech.OpenData.Writers.Parquet;

/// <summary>A growable byte buffer, reused from one column chunk to the next.</summary>
internal sealed class ByteBuffer
{
    private byte[] bytes = new byte[1 << 12];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => bytes.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => bytes.AsMemory(0, Length);

    public void Clear() => Length = 0;

    public void Append(byte value)
    {
        Ensure(1);
        bytes[Length++] = value;
    }

    public void Append(ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(bytes.AsSpan(Length));
        Length += value.Length;
    }

    public void Int32(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(Length), value);
        Length += 4;
    }

    public void Int64(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(Length), value);
        Length += 8;
    }

    public void Double(double value)
    {
        Ensure(8);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(Length), value);
        Length += 8;
    }

    /// <summary>Room for <paramref name="count"/> more bytes, to be filled in place, then <see cref="Advance"/>.</summary>
    public Span<byte> Reserve(int count)
    {
        Ensure(count);
        return bytes.AsSpan(Length, count);
    }

    public void Advance(int count) => Length += count;

    /// <summary>Overwrites 4 bytes at <paramref name="at"/> (a length written after what it measures).</summary>
    public void PatchInt32(int at, int value) => BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), value);

    public void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            Append((byte)(value | 0x80));
            value >>= 7;
        }

        Append((byte)value);
    }

    private void Ensure(int more)
    {
        if (Length + more > bytes.Length)
        {
            Array.Resize(ref bytes, Math.Max(bytes.Length * 2, Length + more));
        }
    }
}
