using System.Buffers;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace Automotech.OpenData.Benchmarks.Pipeline;

/// <summary>
/// The floor job (<see cref="FloorJob"/>) as a pipeline without a string per cell would do it:
/// CsvHelper's parse gives each field's UTF-8 bytes, which are copied into one buffer per batch
/// (reused); the CSV is written from those bytes (quoted as CsvHelper's writer quotes: a field
/// holding the delimiter, a quote or a line break); Parquet.Net, the library the pipeline used
/// before its own writer, gets each text column as slices of one character buffer per column
/// (reused), not as strings, with the options the pipeline gave it. Both files are written while
/// the next batch is read, as the Worker writes. What it measured: the reader and writers a
/// redesigned pipeline would start from, keeping Parquet.Net. The CSV must be byte for byte the
/// string floor's.
/// </summary>
internal static class BytesFloor
{
    private static readonly SearchValues<byte> Special = SearchValues.Create(",\"\r\n"u8);

    public static async Task<int> RunAsync(string sourcePath, string output, int batchSize, bool writeCsv, bool writeParquet)
    {
        Directory.CreateDirectory(output);
        var columns = DuckDbJob.ProjectionColumns;
        await using var input = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        await using var reader = CsvHelper.CsvReader.Create(input, CsvHelper.CsvReaderOptions.Default with { Separator = ',' }, leaveOpen: true);
        reader.ReadHeader();
        var index = columns.Select(c => reader.Headers.ToList().IndexOf(c)).ToArray();
        if (index.Any(i => i < 0))
        {
            Console.Error.WriteLine("error: the source lacks a projection column.");
            return 2;
        }

        await using var csv = new FileStream(Path.Combine(output, "acteurs.csv"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        await using var parquetFile = new FileStream(Path.Combine(output, "acteurs.parquet"), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        var fields = columns.Select(c => new DataField<string>(c, true)).ToArray();
        var options = new ParquetOptions
        {
            CompressionMethod = CompressionMethod.Zstd,
            CompressionLevel = System.IO.Compression.CompressionLevel.Optimal,
            MaximumSmallPoolFreeBytes = 8 << 20,
            MaximumLargePoolFreeBytes = 8 << 20,
            DictionaryEncodingSampleSize = 500,
        };
        foreach (var field in fields)
        {
            options.ColumnEncodingHints[field.Path.ToString()] = EncodingHint.Dictionary;
        }

        await using var parquet = await ParquetWriter.CreateAsync(new ParquetSchema(fields), parquetFile, options);
        parquet.CustomMetadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["dataset"] = "acteurs", ["version"] = "floor" };
        var csvOut = new CsvBytes(csv);
        csvOut.WriteHeader(columns);
        var parquetOut = new ParquetColumns(parquet, fields);

        // Two batches take turns: one is written while the other is filled.
        Batch[] batches = [new(columns.Length, batchSize), new(columns.Length, batchSize)];
        var turn = 0;
        var pending = Task.CompletedTask;
        long rows = 0;
        while (reader.Read())
        {
            var batch = batches[turn];
            batch.NextRow();
            for (var c = 0; c < index.Length; c++)
            {
                batch.Add(c, reader.GetSpan(index[c]));
            }

            rows++;
            if (batch.Rows == batchSize)
            {
                await pending;
                pending = WriteAsync(batch, writeCsv ? csvOut : null, writeParquet ? parquetOut : null);
                turn ^= 1;
                batches[turn].Clear();
            }
        }

        await pending;
        if (batches[turn].Rows > 0)
        {
            await WriteAsync(batches[turn], writeCsv ? csvOut : null, writeParquet ? parquetOut : null);
        }

        await csvOut.FlushAsync();
        Console.WriteLine($"floor-job bytes: {rows} rows read");
        return 0;
    }

    private static Task WriteAsync(Batch batch, CsvBytes? csv, ParquetColumns? parquet) =>
        Task.WhenAll(
            csv is null ? Task.CompletedTask : Task.Run(() => csv.WriteAsync(batch)),
            parquet is null ? Task.CompletedTask : Task.Run(() => parquet.WriteAsync(batch)));

    /// <summary>A batch's cells: UTF-8 bytes one after the other in one reused buffer.</summary>
    private sealed class Batch(int columns, int capacity)
    {
        private readonly int[] starts = new int[columns * capacity];
        private readonly int[] lengths = new int[columns * capacity];
        private byte[] bytes = new byte[1 << 20];
        private int used;

        public int Rows { get; private set; }

        public int Columns => columns;

        public void NextRow() => Rows++;

        public void Add(int column, ReadOnlySpan<byte> value)
        {
            if (used + value.Length > bytes.Length)
            {
                Array.Resize(ref bytes, Math.Max(bytes.Length * 2, used + value.Length));
            }

            var cell = (Rows - 1) * columns + column;
            value.CopyTo(bytes.AsSpan(used));
            starts[cell] = used;
            lengths[cell] = value.Length;
            used += value.Length;
        }

        public ReadOnlySpan<byte> Cell(int row, int column) => bytes.AsSpan(starts[row * columns + column], lengths[row * columns + column]);

        public void Clear()
        {
            Rows = 0;
            used = 0;
        }
    }

    /// <summary>RFC 4180 from bytes, CRLF, quoting as CsvHelper's writer does.</summary>
    private sealed class CsvBytes(Stream stream)
    {
        private byte[] buffer = new byte[1 << 20];
        private int used;

        public void WriteHeader(string[] names)
        {
            for (var c = 0; c < names.Length; c++)
            {
                Field(c, Encoding.UTF8.GetBytes(names[c]));
            }

            Append("\r\n"u8);
        }

        public async Task WriteAsync(Batch batch)
        {
            for (var row = 0; row < batch.Rows; row++)
            {
                for (var c = 0; c < batch.Columns; c++)
                {
                    Field(c, batch.Cell(row, c));
                }

                Append("\r\n"u8);
                if (used > (1 << 19))
                {
                    await FlushAsync();
                }
            }
        }

        public async Task FlushAsync()
        {
            await stream.WriteAsync(buffer.AsMemory(0, used));
            used = 0;
        }

        private void Field(int column, ReadOnlySpan<byte> value)
        {
            if (column > 0)
            {
                Append(","u8);
            }

            if (value.IndexOfAny(Special) < 0)
            {
                Append(value);
                return;
            }

            Append("\""u8);
            var rest = value;
            while (rest.IndexOf((byte)'"') is var quote and >= 0)
            {
                Append(rest[..(quote + 1)]);
                Append("\""u8);
                rest = rest[(quote + 1)..];
            }

            Append(rest);
            Append("\""u8);
        }

        private void Append(ReadOnlySpan<byte> value)
        {
            if (used + value.Length > buffer.Length)
            {
                Array.Resize(ref buffer, Math.Max(buffer.Length * 2, used + value.Length));
            }

            value.CopyTo(buffer.AsSpan(used));
            used += value.Length;
        }
    }

    /// <summary>Each text column to Parquet.Net as slices of one reused character buffer.</summary>
    private sealed class ParquetColumns(ParquetWriter writer, DataField[] fields)
    {
        private char[] chars = new char[1 << 20];
        private ReadOnlyMemory<char>?[] slices = [];

        public async Task WriteAsync(Batch batch)
        {
            if (slices.Length < batch.Rows)
            {
                slices = new ReadOnlyMemory<char>?[batch.Rows];
            }

            using var group = writer.CreateRowGroup();
            for (var c = 0; c < fields.Length; c++)
            {
                var used = 0;
                for (var row = 0; row < batch.Rows; row++)
                {
                    var cell = batch.Cell(row, c);
                    if (used + cell.Length > chars.Length)
                    {
                        // Earlier slices of this column point into the old buffer, which stays alive.
                        chars = new char[Math.Max(chars.Length * 2, cell.Length)];
                        used = 0;
                    }

                    var length = Encoding.UTF8.GetChars(cell, chars.AsSpan(used));
                    slices[row] = chars.AsMemory(used, length);
                    used += length;
                }

                await group.WriteAsync<ReadOnlyMemory<char>>(fields[c], slices.AsMemory(0, batch.Rows), null, null);
            }

            group.CompleteValidate();
        }
    }
}
