using System.Buffers;
using System.Text;

namespace Automotech.OpenData.Sources;

/// <summary>
/// Which encoding a source is read with. <c>auto</c> looks at the start of the file: a UTF-8
/// byte order mark, or bytes that are valid UTF-8, mean UTF-8; so do bytes whose non-ASCII
/// characters are mostly valid UTF-8 (a UTF-8 export with a stray byte: read as Windows-1252,
/// every other accent would become mojibake; read as UTF-8, the stray byte's row is an
/// <c>encoding-error</c>). Anything else is taken as Windows-1252, what Excel writes on French
/// Windows (a superset of ISO-8859-1's printable characters), in which an accented letter
/// before a non-ASCII symbol can happen to make a valid UTF-8 pair: the majority decides.
/// Declared encodings are used as given.
/// </summary>
public static class SourceEncoding
{
    /// <summary>The values <c>source.encoding</c> takes, as messages say them (<see cref="SourceChecks.Encodings"/>).</summary>
    public const string Supported = "auto, utf-8 or utf8, windows-1252 or cp1252, iso-8859-1 or latin1";

    /// <summary>How much of the file <c>auto</c> looks at.</summary>
    public const int SampleBytes = 1 << 20;

    static SourceEncoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The encoding to read with; null means UTF-8 (and then each record is checked for invalid bytes).</summary>
    public static Encoding? Resolve(string declared, string path, out string name) =>
        Resolve(declared, () => File.OpenRead(path), out name);

    /// <summary>As <see cref="Resolve(string, string, out string)"/>; <paramref name="open"/> is called only to detect.</summary>
    public static Encoding? Resolve(string declared, Func<Stream> open, out string name)
    {
        switch (declared.ToLowerInvariant())
        {
            case "utf-8" or "utf8":
                name = "utf-8";
                return null;
            case "windows-1252" or "cp1252":
                name = "windows-1252";
                return Encoding.GetEncoding(1252);
            case "iso-8859-1" or "latin1":
                name = "iso-8859-1";
                return Encoding.Latin1;
            case "auto":
                if (Utf16ByteOrderMark(open) is { } utf16)
                {
                    // Excel's "Texte Unicode" export: the reader follows the mark; say what it reads.
                    name = utf16.BigEndian ? "utf-16be (byte order mark)" : "utf-16le (byte order mark)";
                    return utf16.Encoding;
                }

                if (LooksLikeUtf8(open))
                {
                    name = "utf-8 (detected)";
                    return null;
                }

                name = "windows-1252 (detected)";
                return Encoding.GetEncoding(1252);
            default:
                throw new PipelineException($"source.encoding '{declared}' is not supported ({Supported}).");
        }
    }

    private static (Encoding Encoding, bool BigEndian)? Utf16ByteOrderMark(Func<Stream> open)
    {
        Span<byte> start = stackalloc byte[2];
        using var stream = open();
        return stream.ReadAtLeast(start, 2, throwOnEndOfStream: false) < 2 ? null
            : start[0] == 0xFF && start[1] == 0xFE ? (Encoding.Unicode, false)
            : start[0] == 0xFE && start[1] == 0xFF ? (Encoding.BigEndianUnicode, true)
            : null;
    }

    private static bool LooksLikeUtf8(Func<Stream> open)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(SampleBytes);
        try
        {
            using var stream = open();
            var read = stream.ReadAtLeast(buffer.AsSpan(0, SampleBytes), SampleBytes, throwOnEndOfStream: false);
            var sample = buffer.AsSpan(0, read);
            if (sample.StartsWith("\uFEFF"u8))
            {
                return true;
            }

            // Count the non-ASCII characters that decode as UTF-8 and the sequences that do not;
            // a multi-byte character cut by the end of the sample is neither.
            var final = read < SampleBytes;
            var valid = 0;
            var invalid = 0;
            var rest = sample;
            while (true)
            {
                var next = rest.IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
                if (next < 0)
                {
                    break;
                }

                rest = rest[next..];
                var status = Rune.DecodeFromUtf8(rest, out _, out var consumed);
                if (status == OperationStatus.Done)
                {
                    valid++;
                }
                else if (status == OperationStatus.NeedMoreData && !final)
                {
                    break;
                }
                else
                {
                    invalid++;
                }

                rest = rest[Math.Max(consumed, 1)..];
            }

            return invalid == 0 || valid > invalid;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
