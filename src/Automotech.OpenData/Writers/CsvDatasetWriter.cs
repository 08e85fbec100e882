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
        stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
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

    public async Task CompleteAsync(CancellationToken cancellationToken) => await writer.FlushAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await writer.DisposeAsync();
        await stream.DisposeAsync();
    }
}
