using System.Buffers;
using System.Text;
using Automotech.OpenData.Writers;

namespace Automotech.OpenData.Benchmarks.Pipeline;

/// <summary>
/// The floor job (<see cref="FloorJob"/>) as a pipeline without a string per cell would do it:
/// CsvHelper's parse gives each field's UTF-8 bytes, which are copied into one buffer per batch
/// (reused); the CSV is written from those bytes (quoted as CsvHelper's writer quotes: a field
/// holding the delimiter, a quote or a line break); our Parquet writer gets the same bytes
/// (<see cref="Utf8Column"/>), never a string. Both files are written while the next batch is
/// read, as the Worker writes. What it measures: the reader and writers a redesigned pipeline
/// would start from. Both files must be byte for byte the string floor's (before 2026-11-27 its
/// Parquet was Parquet.Net's, given characters).
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
        var schema = new TableSchema { Fields = [.. columns.Select(c => new SchemaField { Name = c, Type = "string" })] };
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["dataset"] = "acteurs", ["version"] = "floor" };
        await using var parquet = writeParquet ? await ParquetDatasetWriter.CreateAsync(Path.Combine(output, "acteurs.parquet"), schema, metadata, CancellationToken.None) : null;
        var csvOut = new CsvBytes(csv);
        csvOut.WriteHeader(columns);

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
                pending = WriteAsync(batch, writeCsv ? csvOut : null, parquet);
                turn ^= 1;
                batches[turn].Clear();
            }
        }

        await pending;
        if (batches[turn].Rows > 0)
        {
            await WriteAsync(batches[turn], writeCsv ? csvOut : null, parquet);
        }

        await csvOut.FlushAsync();
        if (parquet is not null)
        {
            await parquet.CompleteAsync(CancellationToken.None);
        }
        Console.WriteLine($"floor-job bytes: {rows} rows read");
        return 0;
    }

    private static Task WriteAsync(Batch batch, CsvBytes? csv, ParquetDatasetWriter? parquet) =>
        Task.WhenAll(
            csv is null ? Task.CompletedTask : Task.Run(() => csv.WriteAsync(batch)),
            parquet is null ? Task.CompletedTask : Task.Run(() => parquet.WriteAsync(batch.Columns, CancellationToken.None)));

    /// <summary>A batch's cells: each column's UTF-8 bytes one after the other in its own reused buffer.</summary>
    private sealed class Batch(int columns, int capacity)
    {
        public Utf8Column[] Columns { get; } = [.. Enumerable.Range(0, columns).Select(_ => new Utf8Column(capacity))];

        public int Rows { get; private set; }

        public int ColumnCount => columns;

        public void NextRow() => Rows++;

        public void Add(int column, ReadOnlySpan<byte> value) => Columns[column].Add(value);

        public ReadOnlySpan<byte> Cell(int row, int column) => Columns[column][row];

        public void Clear()
        {
            Rows = 0;
            foreach (var column in Columns)
            {
                column.Clear();
            }
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
                for (var c = 0; c < batch.ColumnCount; c++)
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
}
