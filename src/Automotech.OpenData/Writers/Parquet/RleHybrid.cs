namespace Automotech.OpenData.Writers.Parquet;

/// <summary>
/// Parquet's RLE / bit-packing hybrid (Encodings.md), for definition levels and dictionary
/// indices: a run of at least 8 equal values is one repeated run (its length, then the value);
/// anything else goes in bit-packed groups of 8 values, the last group padded with zeros
/// (readers stop at the page's value count).
/// </summary>
internal static class RleHybrid
{
    /// <summary>Appends <paramref name="values"/> encoded with <paramref name="bitWidth"/> bits each (1 to 32) to <paramref name="output"/>.</summary>
    public static void Encode(ReadOnlySpan<int> values, int bitWidth, ByteBuffer output)
    {
        var pendingStart = 0;
        var pendingCount = 0;
        var i = 0;
        while (i < values.Length)
        {
            var j = i + 1;
            while (j < values.Length && values[j] == values[i])
            {
                j++;
            }

            var run = j - i;
            if (run < 8)
            {
                if (pendingCount == 0)
                {
                    pendingStart = i;
                }

                pendingCount += run;
                i = j;
                continue;
            }

            // A bit-packed run holds whole groups of 8: complete the pending values' last group
            // with values of this run, so that none is lost or padded in the middle.
            if (pendingCount > 0)
            {
                var fill = (8 - pendingCount % 8) % 8;
                pendingCount += fill;
                i += fill;
                run -= fill;
                BitPacked(values.Slice(pendingStart, pendingCount), bitWidth, output);
                pendingCount = 0;
            }

            if (run >= 8)
            {
                Repeated(values[i], run, bitWidth, output);
                i += run;
            }
            else if (run > 0)
            {
                pendingStart = i;
                pendingCount = run;
                i += run;
            }
        }

        if (pendingCount > 0)
        {
            BitPacked(values.Slice(pendingStart, pendingCount), bitWidth, output);
        }
    }

    /// <summary>Bits needed for values up to <paramref name="max"/> (at least 1).</summary>
    public static int BitWidth(int max) => max <= 1 ? 1 : 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)max);

    private static void Repeated(int value, int count, int bitWidth, ByteBuffer output)
    {
        output.Varint((ulong)count << 1);
        var bytes = (bitWidth + 7) / 8;
        for (var b = 0; b < bytes; b++)
        {
            output.Append((byte)(value >> (8 * b)));
        }
    }

    private static void BitPacked(ReadOnlySpan<int> values, int bitWidth, ByteBuffer output)
    {
        var groups = (values.Length + 7) / 8;
        output.Varint(((ulong)groups << 1) | 1);
        ulong bits = 0;
        var held = 0;
        for (var k = 0; k < groups * 8; k++)
        {
            var value = k < values.Length ? (uint)values[k] : 0u;
            bits |= (ulong)value << held;
            held += bitWidth;
            while (held >= 8)
            {
                output.Append((byte)bits);
                bits >>= 8;
                held -= 8;
            }
        }
    }
}
