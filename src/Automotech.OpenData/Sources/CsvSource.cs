using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Validation;
using CsvHelper;

namespace Automotech.OpenData.Sources;

/// <summary>
/// Streams a delimited text file as <see cref="ColumnBatch"/>es of the declared source fields:
/// memory holds one batch, whatever the file's size. Encoding and delimiter are detected or
/// declared; quoted delimiters, quotes and line breaks, CRLF/LF and trailing blank lines are
/// RFC 4180 business. Problems of the header are reported in the Frictionless vocabulary
/// (fatal when a required field cannot be read); rows with the wrong cell count or invalid
/// bytes go to the sink (<c>missing-cell</c>, <c>extra-cell</c>, <c>encoding-error</c>).
/// </summary>
public sealed class CsvSource : IRecordSource
{
    private readonly string? path;
    private readonly Func<Stream>? open;
    private readonly long knownSize;
    private readonly string description;
    private readonly TableSchema schema;
    private readonly string declaredEncoding;
    private readonly char? delimiter;
    private readonly int batchSize;
    private readonly SourceLimits limits;

    public CsvSource(string path, TableSchema schema, string encoding, string delimiter, int batchSize, SourceLimits? limits = null)
        : this(schema, path, encoding, delimiter, batchSize, limits)
    {
        this.path = path;
    }

    /// <summary>Reads the stream <paramref name="open"/> gives (a blob...); it is called once, or twice when the encoding is detected.</summary>
    /// <param name="description">Names the source in messages; never a secret.</param>
    /// <param name="sizeBytes">The stream's length, checked against the limits.</param>
    public CsvSource(Func<Stream> open, string description, long sizeBytes, TableSchema schema, string encoding, string delimiter, int batchSize, SourceLimits? limits = null)
        : this(schema, description, encoding, delimiter, batchSize, limits)
    {
        this.open = open;
        knownSize = sizeBytes;
    }

    private CsvSource(TableSchema schema, string description, string encoding, string delimiter, int batchSize, SourceLimits? limits)
    {
        this.description = description;
        this.schema = schema;
        declaredEncoding = encoding;
        this.delimiter = delimiter switch
        {
            "auto" => null,
            "\\t" or "tab" => '\t', // YAML "\t" arrives as a tab character and takes the default arm
            _ when delimiter.Length == 1 => delimiter[0],
            _ => throw new PipelineException($"source.delimiter '{delimiter}' is not one character."),
        };
        this.batchSize = batchSize;
        this.limits = limits ?? new SourceLimits();
    }

    public string Description => description;

    public string Details => $"{EncodingName}, delimiter {(Delimiter == '\t' ? "tab" : Delimiter.ToString())}";

    public long SizeBytes => path is null ? knownSize : File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>The encoding the file was read with ("utf-8 (detected)"...), known once reading starts.</summary>
    public string EncodingName { get; private set; } = "";

    /// <summary>The delimiter used, known once reading starts.</summary>
    public char Delimiter { get; private set; }

    public long RowsRead { get; private set; }

    /// <summary>The share of the file read so far (0 to 1), for progress displays.</summary>
    public double Fraction { get; private set; }

    public IAsyncEnumerable<ColumnBatch> ReadAsync(IRejectedRowSink sink, CancellationToken cancellationToken) =>
        ReadAsync(new StringFiller(new ColumnBatch(schema.FieldNames, batchSize)), sink, cancellationToken);

    /// <summary>
    /// The same rows, rejections and messages as <see cref="ReadAsync(IRejectedRowSink, CancellationToken)"/>,
    /// each cell the UTF-8 bytes of its text (transcoded when the file is not UTF-8), never a
    /// string; a field the file lacks is a missing value. Two batches take turns: one handed out
    /// stays whole until the second one after it is read.
    /// </summary>
    internal IAsyncEnumerable<Utf8Batch> ReadUtf8Async(IRejectedRowSink sink, CancellationToken cancellationToken) =>
        ReadAsync(new Utf8Filler(new Utf8Batch(schema.FieldNames, batchSize), new Utf8Batch(schema.FieldNames, batchSize)), sink, cancellationToken);

    private async IAsyncEnumerable<TBatch> ReadAsync<TBatch>(BatchFiller<TBatch> filler, IRejectedRowSink sink, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (path is not null)
        {
            SourceFile.RequireRegular(path, "source file");
        }

        if (path is not null && !File.Exists(path))
        {
            throw new PipelineException($"{path}: source file not found.");
        }

        var size = path is null ? knownSize : new FileInfo(path).Length;
        if (size > limits.MaxFileBytes)
        {
            throw new PipelineException($"{description}: the file is {size} bytes, above source.limits.max_file_bytes ({limits.MaxFileBytes}).");
        }

        // An Excel export kept under kind: csv would only be told that its "header" names no field.
        if (path is not null && NotDelimitedText(path) is { } what)
        {
            throw new PipelineException($"{description}: this file {what}");
        }

        // Synchronous reads: on Linux, async file I/O goes through the thread pool for every
        // buffer, which measured several times slower here for no benefit in a batch job.
        Func<Stream> openStream = open ?? (() => new FileStream(path!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: false));
        var encoding = SourceEncoding.Resolve(declaredEncoding, openStream, out var encodingName);
        EncodingName = encodingName;

        await using var stream = openStream();
        var options = CsvReaderOptions.Default with
        {
            Separator = delimiter,
            Encoding = encoding,
            TrackLineNumbers = true,
            MaxRecordSize = limits.MaxRecordBytes,
            IncludeValuesInExceptions = false,
            DetectSeparatorHint = true,

            // A batch keeps its strings until written: codes, labels and dates repeat from row to
            // row, and sharing one instance per distinct value halves what the reader allocates
            // and what survives into gen1 (docs/benchmarks.md). The byte reader makes none.
            PoolStrings = filler.MakesStrings,
        };
        await using var reader = CsvReader.Create(stream, options, leaveOpen: true);
        var columnOfField = CsvRecords.ReadHeader(reader, description, headers =>
        {
            Delimiter = reader.Separator;
            return MapHeader(headers, sink);
        });

        var checkBytes = encoding is null;
        var headerCount = reader.Headers.Count;
        var read = 0L;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!CsvRecords.Next(reader, description, ref read, limits))
            {
                break;
            }

            RowsRead = read;

            var line = reader.LineNumber;
            if (checkBytes && !Utf8.IsValid(reader.RawRecord))
            {
                sink.Reject(Rejected(reader, line, columnOfField, "encoding-error", "la ligne contient des octets invalides en UTF-8 (fichier mal encodé ?)"));
                continue;
            }

            if (reader.FieldCount != headerCount)
            {
                var type = reader.FieldCount > headerCount ? "extra-cell" : "missing-cell";
                sink.Reject(Rejected(reader, line, columnOfField, type, $"la ligne compte {reader.FieldCount} cellules pour {headerCount} colonnes d'en-tête"));
                continue;
            }

            filler.AddRow(reader, line, columnOfField);
            if (filler.IsFull)
            {
                Fraction = size == 0 ? 1 : Math.Min(1, (double)stream.Position / size);
                yield return filler.Batch;
                filler.Clear();
            }
        }

        Fraction = 1;
        if (filler.Count > 0)
        {
            yield return filler.Batch;
        }
    }

    /// <summary>What the file is when its first bytes are a workbook's signature, else null.</summary>
    private static string? NotDelimitedText(string path)
    {
        Span<byte> start = stackalloc byte[8];
        using (var file = File.OpenRead(path))
        {
            start = start[..file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false)];
        }

        return start.StartsWith("PK\u0003\u0004"u8)
            ? "is a zip archive, such as an Excel workbook (.xlsx), not delimited text: set source.kind: xlsx (docs/sources.md), or export the sheet as CSV."
            : start.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
                ? "is an old binary Excel workbook (.xls), not delimited text: save it as .xlsx (source.kind: xlsx) or as CSV."
                : null;
    }

    private int[] MapHeader(IReadOnlyList<string> headers, IRejectedRowSink sink) =>
        HeaderMapping.Map(schema, headers, sink, $"{description}, line 1 (header)", 1);

    private static RejectedRow Rejected(CsvReader reader, long line, int[] columnOfField, string type, string message)
    {
        var values = new string?[columnOfField.Length];
        for (var f = 0; f < values.Length; f++)
        {
            values[f] = columnOfField[f] >= 0 && columnOfField[f] < reader.FieldCount ? reader.GetString(columnOfField[f]) : null;
        }

        return new RejectedRow(line, [new RowError(line, null, type, type, message)], values);
    }

    /// <summary>Puts a record's cells into a batch of strings or of bytes.</summary>
    private abstract class BatchFiller<TBatch>
    {
        public abstract TBatch Batch { get; }

        public abstract bool MakesStrings { get; }

        public abstract bool IsFull { get; }

        public abstract int Count { get; }

        public abstract void AddRow(CsvReader reader, long line, int[] columnOfField);

        public abstract void Clear();
    }

    private sealed class StringFiller(ColumnBatch batch) : BatchFiller<ColumnBatch>
    {
        public override ColumnBatch Batch => batch;

        public override bool MakesStrings => true;

        public override bool IsFull => Batch.IsFull;

        public override int Count => Batch.Count;

        public override void AddRow(CsvReader reader, long line, int[] columnOfField)
        {
            var row = Batch.AddRow(line);
            for (var f = 0; f < columnOfField.Length; f++)
            {
                Batch.Set(row, f, columnOfField[f] < 0 ? null : reader.GetString(columnOfField[f]));
            }
        }

        public override void Clear() => Batch.Clear();
    }

    /// <summary>
    /// Fills two batches in turn: the bytes of a batch handed out stay as they are until the
    /// second batch after it is read, so that it can be written while the next one fills.
    /// </summary>
    private sealed class Utf8Filler(Utf8Batch first, Utf8Batch second) : BatchFiller<Utf8Batch>
    {
        private bool onSecond;

        private Utf8Batch Current => onSecond ? second : first;

        public override Utf8Batch Batch => Current;

        public override bool MakesStrings => false;

        public override bool IsFull => Current.IsFull;

        public override int Count => Current.Count;

        public override void AddRow(CsvReader reader, long line, int[] columnOfField)
        {
            Current.AddRow(line);
            for (var f = 0; f < columnOfField.Length; f++)
            {
                if (columnOfField[f] < 0)
                {
                    Current.Columns[f].AddNull();
                }
                else
                {
                    Current.Columns[f].Add(reader.GetSpan(columnOfField[f]));
                }
            }
        }

        public override void Clear()
        {
            onSecond = !onSecond;
            Current.Clear();
        }
    }
}
