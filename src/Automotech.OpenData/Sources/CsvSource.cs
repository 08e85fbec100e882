using System.Runtime.CompilerServices;
using System.Text;
using Automotech.OpenData.Validation;
using CsvHelper;

namespace Automotech.OpenData.Sources;

/// <summary>
/// Streams a delimited text file as <see cref="ColumnBatch"/>es of the declared source fields.
/// Memory holds one batch, whatever the file's size. Rows whose cell count differs from the
/// header go to the rejected-row sink (<c>missing-cell</c>, <c>extra-cell</c>).
/// </summary>
public sealed class CsvSource
{
    /// <summary>The largest record accepted, so that one unterminated quote cannot exhaust memory.</summary>
    public const int MaxRecordBytes = 1 << 20;

    private readonly string path;
    private readonly TableSchema schema;
    private readonly Encoding? encoding;
    private readonly char delimiter;
    private readonly int batchSize;

    static CsvSource() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public CsvSource(string path, TableSchema schema, string encoding, string delimiter, int batchSize)
    {
        this.path = path;
        this.schema = schema;
        this.encoding = encoding.ToUpperInvariant() switch
        {
            "UTF-8" or "UTF8" => null, // BOM honoured, UTF-8 otherwise
            "WINDOWS-1252" or "CP1252" => Encoding.GetEncoding(1252),
            "ISO-8859-1" or "LATIN1" => Encoding.Latin1,
            _ => throw new PipelineException($"source.encoding '{encoding}' is not supported (utf-8, windows-1252, iso-8859-1)."),
        };
        this.delimiter = delimiter[0];
        this.batchSize = batchSize;
    }

    /// <summary>Source headers that matched no declared field (ignored), known after the first batch.</summary>
    public IReadOnlyList<string> IgnoredHeaders { get; private set; } = [];

    public long RowsRead { get; private set; }

    public async IAsyncEnumerable<ColumnBatch> ReadAsync(IRejectedRowSink rejects, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new PipelineException($"{path}: source file not found.");
        }

        // Synchronous reads: on Linux, async file I/O goes through the thread pool for every
        // buffer, which measured several times slower here for no benefit in a batch job.
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: false);
        var options = CsvReaderOptions.Default with
        {
            Separator = delimiter,
            Encoding = encoding,
            TrackLineNumbers = true,
            MaxRecordSize = MaxRecordBytes,
            IncludeValuesInExceptions = false,
            DetectSeparatorHint = false,
        };
        await using var reader = CsvReader.Create(stream, options, leaveOpen: true);
        int[] columnOfField;
        try
        {
            reader.ReadHeader();
            columnOfField = MapHeader(reader.Headers);
        }
        catch (Exception e) when (e is CsvFormatException or InvalidDataException or DecoderFallbackException)
        {
            throw new PipelineException($"{path}, line 1: the header cannot be read ({e.Message}).", e);
        }

        var headerCount = reader.Headers.Count;
        var batch = new ColumnBatch(schema.FieldNames, batchSize);
        while (true)
        {
            bool more;
            try
            {
                more = reader.Read();
            }
            catch (Exception e) when (e is CsvFormatException or InvalidDataException or DecoderFallbackException or InvalidOperationException)
            {
                throw new PipelineException($"{path}, near line {reader.LineNumber}: the file cannot be read further ({e.Message}).", e);
            }

            if (!more)
            {
                break;
            }

            RowsRead++;
            var line = reader.LineNumber;
            if (reader.FieldCount != headerCount)
            {
                rejects.Reject(CellCountError(reader, line, headerCount, columnOfField));
                continue;
            }

            var row = batch.AddRow(line);
            for (var f = 0; f < columnOfField.Length; f++)
            {
                batch.Set(row, f, columnOfField[f] < 0 ? null : reader.GetString(columnOfField[f]));
            }

            if (batch.IsFull)
            {
                yield return batch;
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private int[] MapHeader(IReadOnlyList<string> headers)
    {
        var (columnOfField, unmatched, ambiguous) = HeaderMatcher.Match(schema, headers);
        var problems = new List<string>();
        problems.AddRange(ambiguous.Select(a => $"several columns match one field: {a}"));
        for (var f = 0; f < columnOfField.Length; f++)
        {
            if (columnOfField[f] < 0 && schema.Fields[f].Constraints.Required)
            {
                problems.Add($"required column '{schema.Fields[f].Name}' is missing");
            }
        }

        if (problems.Count > 0)
        {
            throw new PipelineException($"{path}, line 1 (header): {string.Join("; ", problems)}. Columns read: {string.Join(", ", headers)}.");
        }

        IgnoredHeaders = unmatched;
        return columnOfField;
    }

    private static RejectedRow CellCountError(CsvReader reader, long line, int headerCount, int[] columnOfField)
    {
        var type = reader.FieldCount > headerCount ? "extra-cell" : "missing-cell";
        var message = $"la ligne compte {reader.FieldCount} cellules pour {headerCount} colonnes d'en-tête";
        var values = new string?[columnOfField.Length];
        for (var f = 0; f < values.Length; f++)
        {
            values[f] = columnOfField[f] >= 0 && columnOfField[f] < reader.FieldCount ? reader.GetString(columnOfField[f]) : null;
        }

        return new RejectedRow(line, [new RowError(line, null, type, type, message)], values);
    }
}
