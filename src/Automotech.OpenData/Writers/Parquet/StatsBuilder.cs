using System.Buffers.Binary;

namespace Automotech.OpenData.Writers.Parquet;

/// <summary>
/// A column chunk's min and max, in the order Parquet defines for the column's type (the footer
/// declares <c>TypeDefinedOrder</c>): signed integers, IEEE doubles without NaN (a zero min
/// written -0.0, a zero max +0.0, as the format asks), false before true, and text as its UTF-8
/// bytes compared unsigned, which is not .NET's ordinal order of UTF-16 strings.
/// </summary>
internal sealed class StatsBuilder(ParquetPhysicalType type, ByteBuffer texts)
{
    private bool any;
    private long minInteger;
    private long maxInteger;
    private double minReal;
    private double maxReal;
    private (int Start, int Length) minText;
    private (int Start, int Length) maxText;

    /// <summary>A text value held at <paramref name="start"/> in the buffer given at construction.</summary>
    public void Text(int start, int length)
    {
        var value = texts.Written.Slice(start, length);
        if (!any || value.SequenceCompareTo(texts.Written.Slice(minText.Start, minText.Length)) < 0)
        {
            minText = (start, length);
        }

        if (!any || value.SequenceCompareTo(texts.Written.Slice(maxText.Start, maxText.Length)) > 0)
        {
            maxText = (start, length);
        }

        any = true;
    }

    public void Int64(long value)
    {
        minInteger = any ? Math.Min(minInteger, value) : value;
        maxInteger = any ? Math.Max(maxInteger, value) : value;
        any = true;
    }

    public void Int32(int value) => Int64(value);

    public void Boolean(bool value) => Int64(value ? 1 : 0);

    public void Double(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        minReal = any ? Math.Min(minReal, value) : value;
        maxReal = any ? Math.Max(maxReal, value) : value;
        any = true;
    }

    public byte[]? Min() => Encode(minInteger, minReal == 0 ? -0.0 : minReal, minText);

    public byte[]? Max() => Encode(maxInteger, maxReal == 0 ? 0.0 : maxReal, maxText);

    private byte[]? Encode(long integer, double real, (int Start, int Length) text)
    {
        if (!any)
        {
            return null;
        }

        switch (type)
        {
            case ParquetPhysicalType.ByteArray:
                return texts.Written.Slice(text.Start, text.Length).ToArray();
            case ParquetPhysicalType.Int64:
                var eight = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(eight, integer);
                return eight;
            case ParquetPhysicalType.Int32:
                var four = new byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(four, (int)integer);
                return four;
            case ParquetPhysicalType.Double:
                var bytes = new byte[8];
                BinaryPrimitives.WriteDoubleLittleEndian(bytes, real);
                return bytes;
            default:
                return [(byte)integer];
        }
    }
}
