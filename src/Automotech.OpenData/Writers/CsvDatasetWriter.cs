using CsvHelper;

namespace Automotech.OpenData.Writers;

/// <summary>
/// RFC 4180 CSV: UTF-8 without BOM, comma, CRLF, a header of the schema's field names, fields
/// quoted when needed, missing values empty. Values are written in canonical form. With
/// <c>neutraliseFormulas</c>, a text cell that a spreadsheet would run as a formula (= + - @ tab
/// CR) is prefixed with a quote, as OWASP advises; numbers and dates are never touched.
/// </summary>
public sealed class CsvDatasetWriter : IDatasetWriter
{
    private readonly FileStream stream;
    private readonly CsvWriter writer;

    private readonly bool[] isText;
    private readonly bool neutralise;

    public CsvDatasetWriter(string path, TableSchema schema, bool neutraliseFormulas = false)
    {
        Path = path;
        isText = schema.Fields.Select(f => f.Type == "string").ToArray();
        neutralise = neutraliseFormulas;
        stream = PrivateFiles.Open(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        writer = CsvWriter.Create(stream, CsvWriterOptions.Default with { NewLine = "\r\n" }, leaveOpen: true);
        writer.WriteHeader(schema.FieldNames.ToArray());
    }

    public string Path { get; }

    public async Task WriteAsync(ColumnBatch batch, CancellationToken cancellationToken)
    {
        for (var row = 0; row < batch.Count; row++)
        {
            for (var f = 0; f < batch.FieldNames.Count; f++)
            {
                var value = batch.Get(row, f) ?? "";
                if (neutralise && isText[f] && value.Length > 0 && Validation.RecordValidator.FormulaStarts.Contains(value[0]))
                {
                    value = "'" + value;
                }

                writer.WriteField(value);
            }

            await writer.EndRecordAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Rows whose cells are UTF-8 bytes (one column per schema field, in order, all the same
    /// length): the file's bytes are those the same values give as strings. A missing value is an
    /// empty field.
    /// </summary>
    internal async Task WriteAsync(IReadOnlyList<Utf8Column> columns, CancellationToken cancellationToken)
    {
        if (columns.Count != isText.Length || columns.Any(c => c.Count != columns[0].Count))
        {
            throw new ArgumentException($"Expected {isText.Length} columns of the same length.", nameof(columns));
        }

        for (var row = 0; row < columns[0].Count; row++)
        {
            for (var f = 0; f < columns.Count; f++)
            {
                var value = columns[f][row];

                // The characters that start a formula are ASCII: the first byte tells.
                if (neutralise && isText[f] && value.Length > 0 && value[0] < 0x80 && Validation.RecordValidator.FormulaStarts.Contains((char)value[0]))
                {
                    WriteNeutralised(value);
                }
                else
                {
                    writer.WriteField(value);
                }
            }

            await writer.EndRecordAsync(cancellationToken);
        }
    }

    private void WriteNeutralised(ReadOnlySpan<byte> value)
    {
        var prefixed = value.Length < 256 ? stackalloc byte[value.Length + 1] : new byte[value.Length + 1];
        prefixed[0] = (byte)'\'';
        value.CopyTo(prefixed[1..]);
        writer.WriteField((ReadOnlySpan<byte>)prefixed);
    }

    public async Task CompleteAsync(CancellationToken cancellationToken) => await writer.FlushAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await writer.DisposeAsync();
        await stream.DisposeAsync();
    }
}
