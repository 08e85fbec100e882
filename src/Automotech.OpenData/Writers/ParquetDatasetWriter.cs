using Automotech.OpenData.Writers.Parquet;

namespace Automotech.OpenData.Writers;

/// <summary>
/// Parquet with column types from the Table Schema (string, int64, double, boolean, date,
/// timestamp, int32 for years), every column nullable, text dictionary-encoded where its values
/// repeat, zstd, one row group per batch, statistics, and file metadata naming the dataset and
/// version. Our own writer of the format (Apache Parquet, data pages v1): Parquet.Net, given the
/// same columns, cost about twice DuckDB's whole projection job by itself (docs/benchmarks.md,
/// <i>A floor without strings</i>). A row group's columns are encoded side by side on
/// <c>threads</c> threads, then written in order, so the bytes do not depend on it.
/// </summary>
public sealed class ParquetDatasetWriter : IDatasetWriter
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    /// <summary>A chunk's encodings: PLAIN (values, or the dictionary page), RLE (levels), RLE_DICTIONARY (indices).</summary>
    private static readonly int[] DictionaryEncodings = [0, 3, 8];

    private static readonly int[] PlainEncodings = [0, 3];

    private readonly FileStream stream;
    private readonly ParquetColumnType[] columns;
    private readonly ColumnChunkEncoder[] encoders;
    private readonly IReadOnlyDictionary<string, string> metadata;
    private readonly ThriftCompact rowGroupThrift = new();
    private readonly ByteBuffer footerRowGroups = new();
    private FileStream? footerSpool;
    private readonly int threads;
    private int rowGroups;
    private long position;
    private long rows;
    private bool completed;
    private bool broken;

    private ParquetDatasetWriter(string path, FileStream stream, TableSchema schema, IReadOnlyDictionary<string, string> metadata, int threads)
    {
        Path = path;
        this.stream = stream;
        this.metadata = metadata;
        this.threads = Math.Max(1, threads);
        columns = [.. schema.Fields.Select(ParquetColumnType.Of)];
        encoders = [.. columns.Select(c => new ColumnChunkEncoder(c))];
    }

    public string Path { get; }

    public static async Task<ParquetDatasetWriter> CreateAsync(string path, TableSchema schema, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken, int threads = 2)
    {
        var stream = PrivateFiles.Open(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        try
        {
            var writer = new ParquetDatasetWriter(path, stream, schema, new Dictionary<string, string>(metadata), threads);
            await stream.WriteAsync(Magic, cancellationToken);
            writer.position = Magic.Length;
            return writer;
        }
        catch
        {
            // Not the writer's DisposeAsync: it would complete a file that has not even begun.
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The footer lists every row group, and is written after the last. Each row group's entry is
    /// encoded as soon as the group is written and kept, up to this many bytes; past them the
    /// entries wait in a file beside the output (deleted when the writer is disposed, whatever
    /// happened), so what the writer holds does not grow with the rows. Held as records to the
    /// end, they were 10–14 MiB of the Worker's heap at 10M rows (docs/benchmarks.md); a small
    /// file, a partition's part, never opens the second file.
    /// </summary>
    private const int FooterBytesHeld = 64 * 1024;

    private async Task HoldFooterEntryAsync(ReadOnlyMemory<byte> entry, CancellationToken cancellationToken)
    {
        if (footerRowGroups.Length + entry.Length > FooterBytesHeld)
        {
            footerSpool ??= OpenFooterSpool(Path);
            await footerSpool.WriteAsync(footerRowGroups.Memory, cancellationToken);
            footerRowGroups.Clear();
        }

        footerRowGroups.Append(entry.Span);
    }

    private static FileStream OpenFooterSpool(string path)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var spool = System.IO.Path.Combine(folder, "." + System.IO.Path.GetFileName(path) + ".row-groups");

        // Unbuffered: it is written in blocks of up to FooterBytesHeld, read back once.
        return PrivateFiles.Open(spool, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 0, FileOptions.DeleteOnClose);
    }

    public async Task WriteAsync(ColumnBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var count = batch.Count;
        var sources = columns.Select(c => batch.Column(batch.IndexOf(c.Name))).ToArray();
        await WriteRowGroupAsync(count, c => encoders[c].Encode(sources[c].AsSpan(0, count)), cancellationToken);
    }

    /// <summary>
    /// A row group from columns held as UTF-8 bytes (one per schema field, in order, all the same
    /// length): the file's bytes are those the same values give as strings.
    /// </summary>
    internal async Task WriteAsync(IReadOnlyList<Utf8Column> values, CancellationToken cancellationToken)
    {
        if (values.Count != columns.Length || values.Any(v => v.Count != values[0].Count))
        {
            throw new ArgumentException($"Expected {columns.Length} columns of the same length.", nameof(values));
        }

        if (values[0].Count == 0)
        {
            return;
        }

        await WriteRowGroupAsync(values[0].Count, c => encoders[c].Encode(values[c]), cancellationToken);
    }

    private async Task WriteRowGroupAsync(int count, Action<int> encode, CancellationToken cancellationToken)
    {
        // A failed write leaves a row group half written: the file gets no footer then (it is
        // not Parquet, and the run that failed publishes nothing).
        broken = true;
        RowShares.Run(columns.Length, Math.Min(threads, columns.Length), (_, from, to) =>
        {
            for (var c = from; c < to; c++)
            {
                encode(c);
            }
        });

        var chunks = new ColumnChunk[columns.Length];
        var start = position;
        for (var c = 0; c < columns.Length; c++)
        {
            chunks[c] = new ColumnChunk(position, encoders[c].Info);
            await stream.WriteAsync(encoders[c].Bytes, cancellationToken);
            position += encoders[c].Bytes.Length;
        }

        rowGroupThrift.Clear();
        EncodeRowGroup(rowGroupThrift, start, count, chunks);
        await HoldFooterEntryAsync(rowGroupThrift.WrittenMemory, cancellationToken);
        rowGroups++;
        rows += count;
        broken = false;
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (completed)
        {
            return;
        }

        if (broken)
        {
            throw new InvalidOperationException("A row group failed to be written: the file cannot be completed.");
        }

        completed = true;

        // FileMetaData: its fields before the row groups, the row groups as spooled, the rest.
        var (footer, beforeRowGroups) = Footer();
        await stream.WriteAsync(footer.WrittenMemory[..beforeRowGroups], cancellationToken);
        long spooled = 0;
        if (footerSpool is not null)
        {
            spooled = footerSpool.Length;
            footerSpool.Position = 0;
            await footerSpool.CopyToAsync(stream, cancellationToken);
        }

        await stream.WriteAsync(footerRowGroups.Memory, cancellationToken);
        await stream.WriteAsync(footer.WrittenMemory[beforeRowGroups..], cancellationToken);
        var tail = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(tail, checked((int)(footer.Length + spooled + footerRowGroups.Length)));
        Magic.CopyTo(tail, 4);
        await stream.WriteAsync(tail, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        // A file left without its footer is not Parquet: complete it, as Parquet.Net did, unless
        // a write failed (completing would only raise a second error over the first).
        try
        {
            if (!broken)
            {
                await CompleteAsync(CancellationToken.None);
            }
        }
        finally
        {
            if (footerSpool is not null)
            {
                await footerSpool.DisposeAsync();
            }

            await stream.DisposeAsync();
        }
    }

    /// <summary>
    /// FileMetaData (parquet.thrift), in the Thrift compact protocol, but for the row groups'
    /// structs: the list's elements go where the second value says, each one encoded on its own
    /// (a list element starts its fields afresh, so the bytes are the same).
    /// </summary>
    private (ThriftCompact Footer, int BeforeRowGroups) Footer()
    {
        var t = new ThriftCompact();
        t.I32(1, 1); // version
        t.ListOfStructs(2, columns.Length + 1); // schema: the root, then one leaf per column
        t.BeginStructValue();
        t.String(4, "schema");
        t.I32(5, columns.Length);
        t.EndStruct();
        foreach (var column in columns)
        {
            t.BeginStructValue();
            t.I32(1, (int)column.Physical);
            t.I32(3, 1); // OPTIONAL
            t.String(4, column.Name);
            switch (column.Logical)
            {
                case ParquetLogicalType.String:
                    t.I32(6, 0); // converted type UTF8
                    t.BeginStruct(10);
                    t.BeginStruct(1); // STRING
                    t.EndStruct();
                    t.EndStruct();
                    break;
                case ParquetLogicalType.Date:
                    t.I32(6, 6); // DATE
                    t.BeginStruct(10);
                    t.BeginStruct(6); // DATE
                    t.EndStruct();
                    t.EndStruct();
                    break;
                case ParquetLogicalType.Timestamp:
                    t.I32(6, 10); // TIMESTAMP_MICROS
                    t.BeginStruct(10);
                    t.BeginStruct(8); // TIMESTAMP
                    t.Bool(1, true); // isAdjustedToUTC
                    t.BeginStruct(2); // unit
                    t.BeginStruct(2); // MICROS
                    t.EndStruct();
                    t.EndStruct();
                    t.EndStruct();
                    t.EndStruct();
                    break;
            }

            t.EndStruct();
        }

        t.I64(3, rows);
        t.ListOfStructs(4, rowGroups);
        var beforeRowGroups = t.Length;

        t.ListOfStructs(5, metadata.Count);
        foreach (var (key, value) in metadata)
        {
            t.BeginStructValue();
            t.String(1, key);
            t.String(2, value);
            t.EndStruct();
        }

        // "<application> version <version>": readers such as parquet-mr parse it, and ignore
        // the text statistics of a file whose writer they cannot name.
        t.String(6, "automotech-opendata version 1.0.0");
        t.ListOfStructs(7, columns.Length); // column orders: each TYPE_ORDER, so min and max hold
        foreach (var _ in columns)
        {
            t.BeginStructValue();
            t.BeginStruct(1);
            t.EndStruct();
            t.EndStruct();
        }

        t.EndMessage();
        return (t, beforeRowGroups);
    }

    /// <summary>One RowGroup struct of the footer, as a list element.</summary>
    private void EncodeRowGroup(ThriftCompact t, long offset, long count, ColumnChunk[] chunks)
    {
        t.BeginStructValue();
        t.ListOfStructs(1, chunks.Length);
        long uncompressed = 0;
        long compressed = 0;
        for (var c = 0; c < chunks.Length; c++)
        {
            var chunk = chunks[c];
            var info = chunk.Info;
            uncompressed += info.UncompressedSize;
            compressed += info.CompressedSize;
            t.BeginStructValue();
            t.I64(2, chunk.Offset); // file_offset: where the chunk starts
            t.BeginStruct(3); // ColumnMetaData
            t.I32(1, (int)columns[c].Physical);
            t.ListOfI32(2, info.Dictionary ? DictionaryEncodings : PlainEncodings);
            t.ListOfStrings(3, [columns[c].Name]);
            t.I32(4, 6); // ZSTD
            t.I64(5, info.Values);
            t.I64(6, info.UncompressedSize);
            t.I64(7, info.CompressedSize);
            t.I64(9, chunk.Offset + info.DataOffset);
            if (info.Dictionary)
            {
                t.I64(11, chunk.Offset + info.DictionaryOffset);
            }

            t.BeginStruct(12); // Statistics
            var (max, min) = (info.Max, info.Min);

            // The deprecated max and min (1, 2) were compared signed: for numbers that is their
            // order, for text it is not, so text gets only max_value and min_value.
            if (max is not null && min is not null && columns[c].Physical != ParquetPhysicalType.ByteArray)
            {
                t.Binary(1, max);
                t.Binary(2, min);
            }

            t.I64(3, info.Nulls);
            if (max is not null && min is not null)
            {
                t.Binary(5, max);
                t.Binary(6, min);
                t.Bool(7, true); // exact
                t.Bool(8, true);
            }

            t.EndStruct();
            t.EndStruct();
            t.EndStruct();
        }

        t.I64(2, uncompressed);
        t.I64(3, count);
        t.I64(5, offset);
        t.I64(6, compressed);
        t.EndStruct();
    }

    private sealed record ColumnChunk(long Offset, ColumnChunkInfo Info);
}
