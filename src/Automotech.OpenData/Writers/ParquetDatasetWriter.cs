using System.Globalization;
using System.IO.Compression;
using Parquet;
using Parquet.Schema;

namespace Automotech.OpenData.Writers;

/// <summary>
/// Parquet with column types from the Table Schema (string, int64, double, boolean, date,
/// timestamp, int32 for years), every column nullable, text dictionary-encoded where its values
/// repeat, zstd at <c>Optimal</c> (the library's default level is ~23x slower for a few per
/// cent), one row group per batch, and file metadata naming the dataset and version.
/// </summary>
public sealed class ParquetDatasetWriter : IDatasetWriter
{
    /// <summary>
    /// Values of a row group the library samples before building a text column's dictionary: if
    /// more than 80 % of them differ, the column is written plain.
    /// </summary>
    private const int DictionarySample = 500;

    private readonly FileStream stream;
    private readonly ParquetWriter writer;
    private readonly TableSchema schema;
    private readonly DataField[] fields;
    private readonly Buffers buffers = new();

    private ParquetDatasetWriter(string path, FileStream stream, ParquetWriter writer, TableSchema schema, DataField[] fields)
    {
        Path = path;
        this.stream = stream;
        this.writer = writer;
        this.schema = schema;
        this.fields = fields;
    }

    public string Path { get; }

    public static async Task<ParquetDatasetWriter> CreateAsync(string path, TableSchema schema, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var fields = schema.Fields.Select(ToParquet).ToArray();
        var options = new ParquetOptions
        {
            CompressionMethod = CompressionMethod.Zstd,
            CompressionLevel = CompressionLevel.Optimal,

            // Parquet.Net pools its column buffers (RecyclableMemoryStream) and, unless told
            // otherwise, keeps every freed buffer for ever: a 34 MB buffer stayed alive at 1M rows.
            MaximumSmallPoolFreeBytes = 8 << 20,
            MaximumLargePoolFreeBytes = 8 << 20,
        };

        // Low-cardinality text (codes, labels) shrinks a lot with dictionary encoding, and its
        // pages are quicker to compress. Every text column is offered it; the library looks at
        // the first values of each row group and keeps mostly distinct columns (identifiers,
        // names) plain, without building a dictionary of the whole group first. The columns are
        // chosen by their schema type: Parquet.Net 6 gives a text field the ClrType
        // ReadOnlyMemory<char>, so selecting on typeof(string) once left every column plain.
        options.DictionaryEncodingSampleSize = DictionarySample;
        for (var f = 0; f < fields.Length; f++)
        {
            if (schema.Fields[f].Type == "string")
            {
                options.ColumnEncodingHints[fields[f].Path.ToString()] = EncodingHint.Dictionary;
            }
        }

        var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, options, append: false, cancellationToken);
        writer.CustomMetadata = new Dictionary<string, string>(metadata);
        return new ParquetDatasetWriter(path, stream, writer, schema, fields);
    }

    public async Task WriteAsync(ColumnBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        using var group = writer.CreateRowGroup();
        for (var f = 0; f < fields.Length; f++)
        {
            var values = batch.Column(batch.IndexOf(fields[f].Name)).AsMemory(0, batch.Count);
            switch (schema.Fields[f].Type)
            {
                case "string":
                    // The library's string overload copies into a rented array first; the same
                    // values go straight into this writer's own buffer.
                    await group.WriteAsync<ReadOnlyMemory<char>>(fields[f], Convert(values, ref buffers.Texts, v => v.AsMemory()), null, null, cancellationToken);
                    break;
                case "integer":
                    await group.WriteAsync<long>(fields[f], Convert(values, ref buffers.Longs, v => long.Parse(v, CultureInfo.InvariantCulture)), null, null, cancellationToken);
                    break;
                case "number":
                    await group.WriteAsync<double>(fields[f], Convert(values, ref buffers.Doubles, v => double.Parse(v, CultureInfo.InvariantCulture)), null, null, cancellationToken);
                    break;
                case "boolean":
                    await group.WriteAsync<bool>(fields[f], Convert(values, ref buffers.Booleans, v => v == "true"), null, null, cancellationToken);
                    break;
                case "date":
                    await group.WriteAsync<DateOnly>(fields[f], Convert(values, ref buffers.Dates, v => DateOnly.ParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture)), null, null, cancellationToken);
                    break;
                case "datetime":
                    await group.WriteAsync<DateTime>(fields[f], Convert(values, ref buffers.Instants, v => DateTime.Parse(v, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)), null, null, cancellationToken);
                    break;
                case "year":
                    await group.WriteAsync<int>(fields[f], Convert(values, ref buffers.Ints, v => int.Parse(v, CultureInfo.InvariantCulture)), null, null, cancellationToken);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown field type '{schema.Fields[f].Type}'.");
            }
        }

        group.CompleteValidate();
    }

    public Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await writer.DisposeAsync();
        await stream.DisposeAsync();
    }

    /// <summary>
    /// Converts a column's canonical text into <paramref name="buffer"/>, allocated at the first
    /// batch and reused (a row group is written before the next batch is converted).
    /// </summary>
    private static ReadOnlyMemory<T?> Convert<T>(ReadOnlyMemory<string?> values, ref T?[]? buffer, Func<string, T> parse)
        where T : struct
    {
        if (buffer is null || buffer.Length < values.Length)
        {
            buffer = new T?[values.Length];
        }

        var source = values.Span;
        for (var i = 0; i < source.Length; i++)
        {
            buffer[i] = source[i] is { } v ? parse(v) : null;
        }

        return buffer.AsMemory(0, source.Length);
    }

    private static DataField ToParquet(SchemaField field) => field.Type switch
    {
        "string" => new DataField<string>(field.Name, true),
        "integer" => new DataField<long?>(field.Name),
        "number" => new DataField<double?>(field.Name),
        "boolean" => new DataField<bool?>(field.Name),
        "date" => new DataField<DateOnly?>(field.Name),
        "datetime" => new DateTimeDataField(field.Name, DateTimeFormat.Timestamp, true, null, true),
        "year" => new DataField<int?>(field.Name),
        _ => throw new InvalidOperationException($"Unknown field type '{field.Type}'."),
    };

    /// <summary>One reusable array per value kind: a batch's columns are written one after the other.</summary>
    private sealed class Buffers
    {
        public ReadOnlyMemory<char>?[]? Texts;
        public long?[]? Longs;
        public double?[]? Doubles;
        public bool?[]? Booleans;
        public DateOnly?[]? Dates;
        public DateTime?[]? Instants;
        public int?[]? Ints;
    }
}
