using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Sources;
using Automotech.OpenData.Validation;
using Automotech.OpenData.Writers;

namespace Automotech.OpenData.Benchmarks.Pipeline;

/// <summary>
/// Our libraries' floor: DuckDB's projection job done with our reader and writers and nothing
/// else. The source is read by <see cref="CsvSource"/> (CsvHelper) with the committed pipeline's
/// options, the 17 columns DuckDB's projection keeps are written as text by
/// <see cref="CsvDatasetWriter"/> (CsvHelper) and <see cref="ParquetDatasetWriter"/> (our Parquet writer,
/// zstd, dictionaries), both at once while the next batch is read, as the Worker writes. No
/// validation, anonymisation, release or site: whatever our whole pipeline adds is above this
/// time, so if this job alone is slower than the target, no work on our own stages meets it.
/// <c>--write zstd</c> is not Parquet: each column chunk PLAIN-encoded (a 4-byte length and the
/// UTF-8 bytes per value) and compressed with zstd level 3 (ZstdSharp, the compressor under
/// Parquet.Net before our writer), the least work any Parquet writer of these text columns does.
/// </summary>
public static class FloorJob
{
    /// <param name="options">
    /// <c>--source CSV --output DIR [--write csv,parquet|csv|parquet|zstd|none|bytes|bytes-csv|bytes-parquet|bytes-none] [--batch-size N]</c>,
    /// or <c>--source CSV --write strings|spans</c> (CsvHelper alone). <c>bytes</c> is
    /// <see cref="BytesFloor"/>: the same job without a string per cell (both files, or one, or none).
    /// </param>
    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string> options)
    {
        var sourcePath = options["source"];
        if (options.GetValueOrDefault("write") is "spans" or "strings")
        {
            return ReadBare(sourcePath, strings: options["write"] == "strings");
        }

        var output = options["output"];
        var bytes = options.GetValueOrDefault("write") is "bytes" or "bytes-csv" or "bytes-parquet" or "bytes-none";
        var formats = options.GetValueOrDefault("write", "csv,parquet").Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (!bytes && formats.Except(["csv", "parquet", "zstd", "none"], StringComparer.Ordinal).FirstOrDefault() is { } unknown)
        {
            Console.Error.WriteLine($"error: --write takes csv, parquet, zstd or none, not '{unknown}'.");
            return 2;
        }

        var pipeline = Inputs.Acteurs();
        var source = pipeline.Source;
        // The committed limits stop at 5 million rows and 2 GB; the benchmark's sizes go beyond.
        var limits = new SourceLimits
        {
            MaxFieldChars = source.Limits.MaxFieldChars,
            MaxRecordBytes = source.Limits.MaxRecordBytes,
        };
        var batchSize = options.TryGetValue("batch-size", out var size) ? int.Parse(size, System.Globalization.CultureInfo.InvariantCulture) : new RunOptions().BatchSize;
        var reader = new CsvSource(sourcePath, source.Schema, source.Encoding, source.Delimiter, batchSize, limits);
        if (bytes)
        {
            return await BytesFloor.RunAsync(reader, output, options["write"] is "bytes" or "bytes-csv", options["write"] is "bytes" or "bytes-parquet");
        }

        var schema = new TableSchema { Fields = [.. DuckDbJob.ProjectionColumns.Select(c => new SchemaField { Name = c, Type = "string" })] };
        Directory.CreateDirectory(output);
        var writers = new List<IDatasetWriter>();
        if (formats.Contains("csv"))
        {
            writers.Add(new CsvDatasetWriter(Path.Combine(output, "acteurs.csv"), schema));
        }

        if (formats.Contains("parquet"))
        {
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["dataset"] = "acteurs", ["version"] = "floor" };
            writers.Add(await ParquetDatasetWriter.CreateAsync(Path.Combine(output, "acteurs.parquet"), schema, metadata, CancellationToken.None));
        }

        if (formats.Contains("zstd"))
        {
            writers.Add(new PlainZstdWriter(Path.Combine(output, "acteurs.zstd")));
        }

        // Each batch is written while the next one is read, as the Worker writes; the next is
        // projected once that write has ended, so one projected batch is enough.
        var projected = new ColumnBatch(DuckDbJob.ProjectionColumns, batchSize);
        var pending = Task.CompletedTask;
        long rows = 0;
        var sink = new CountingSink();
        try
        {
            await foreach (var batch in reader.ReadAsync(sink, CancellationToken.None))
            {
                rows += batch.Count;
                await pending;
                Project(batch, projected);
                pending = Task.WhenAll(writers.Select(w => Task.Run(() => w.WriteAsync(projected, CancellationToken.None))));
            }

            await pending;
            foreach (var writer in writers)
            {
                await writer.CompleteAsync(CancellationToken.None);
            }
        }
        finally
        {
            foreach (var writer in writers)
            {
                await writer.DisposeAsync();
            }
        }

        Console.WriteLine($"floor-job {string.Join('+', formats)}: {rows} rows read, {sink.Rejected} rejected by the reader");
        return 0;
    }

    /// <summary>
    /// CsvHelper's parse alone, without <see cref="CsvSource"/>: with <paramref name="strings"/>
    /// false, every field of every record as UTF-8 bytes (<c>GetSpan</c>), no string per cell,
    /// each byte summed so the work cannot be skipped: what a reader that keeps text as bytes
    /// would pay. With it true, the same loop makes each field a string (pooled, as
    /// <see cref="CsvSource"/> does) and sums its chars.
    /// </summary>
    private static int ReadBare(string path, bool strings)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var reader = CsvHelper.CsvReader.Create(stream, CsvHelper.CsvReaderOptions.Default with { Separator = ',', PoolStrings = strings }, leaveOpen: false);
        reader.ReadHeader();
        long rows = 0;
        long sum = 0;
        while (reader.Read())
        {
            rows++;
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (strings)
                {
                    foreach (var c in reader.GetString(i))
                    {
                        sum += c;
                    }
                }
                else
                {
                    foreach (var b in reader.GetSpan(i))
                    {
                        sum += b;
                    }
                }
            }
        }

        Console.WriteLine($"floor-job {(strings ? "strings" : "spans")}: {rows} rows read (checksum {sum})");
        return 0;
    }

    /// <summary>The kept columns of <paramref name="batch"/> into <paramref name="target"/> (references, no copy of the text).</summary>
    private static void Project(ColumnBatch batch, ColumnBatch target)
    {
        target.Clear();
        for (var row = 0; row < batch.Count; row++)
        {
            target.AddRow(batch.LineNumber(row));
        }

        for (var c = 0; c < DuckDbJob.ProjectionColumns.Length; c++)
        {
            Array.Copy(batch.Column(batch.IndexOf(DuckDbJob.ProjectionColumns[c])), target.Column(c), batch.Count);
        }
    }

    /// <summary>The floor of a Parquet writer: PLAIN-encoded text, zstd per column chunk, no file format.</summary>
    private sealed class PlainZstdWriter(string path) : IDatasetWriter
    {
        private readonly FileStream file = new(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        private readonly ZstdSharp.Compressor compressor = new(3);
        private byte[] plain = new byte[1 << 20];
        private byte[] compressed = new byte[1 << 20];

        public string Path => path;

        public async Task WriteAsync(ColumnBatch batch, CancellationToken cancellationToken)
        {
            for (var c = 0; c < batch.FieldNames.Count; c++)
            {
                var length = 0;
                foreach (var value in batch.Column(c).AsSpan(0, batch.Count))
                {
                    if (value is null)
                    {
                        continue;
                    }

                    var needed = length + 4 + System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
                    if (needed > plain.Length)
                    {
                        Array.Resize(ref plain, Math.Max(needed, plain.Length * 2));
                    }

                    var bytes = System.Text.Encoding.UTF8.GetBytes(value, plain.AsSpan(length + 4));
                    System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(plain.AsSpan(length), bytes);
                    length += 4 + bytes;
                }

                var bound = ZstdSharp.Compressor.GetCompressBound(length);
                if (bound > compressed.Length)
                {
                    compressed = new byte[bound];
                }

                var size = compressor.Wrap(plain.AsSpan(0, length), compressed);
                await file.WriteAsync(compressed.AsMemory(0, size), cancellationToken);
            }
        }

        public Task CompleteAsync(CancellationToken cancellationToken) => file.FlushAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            compressor.Dispose();
            await file.DisposeAsync();
        }
    }
}
