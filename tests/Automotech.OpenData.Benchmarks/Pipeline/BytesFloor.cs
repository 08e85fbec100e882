using Automotech.OpenData.Sources;
using Automotech.OpenData.Writers;

namespace Automotech.OpenData.Benchmarks.Pipeline;

/// <summary>
/// The floor job (<see cref="FloorJob"/>) as a pipeline without a string per cell would do it,
/// with the library's byte paths: <see cref="CsvSource"/> reads every source field as UTF-8
/// bytes (<see cref="Utf8Batch"/>), and the projection's columns go, as those bytes, to
/// <see cref="CsvDatasetWriter"/> (CsvHelper writes UTF-8 fields as they are) and to our
/// <see cref="ParquetDatasetWriter"/>, while the next batch is read, as the Worker writes. No
/// string is made for a cell. What it measures: the reader and writers a redesigned pipeline
/// would start from. Both files must be byte for byte the string floor's.
/// </summary>
internal static class BytesFloor
{
    public static async Task<int> RunAsync(CsvSource reader, string output, bool writeCsv, bool writeParquet)
    {
        Directory.CreateDirectory(output);
        var columns = DuckDbJob.ProjectionColumns;
        var schema = new TableSchema { Fields = [.. columns.Select(c => new SchemaField { Name = c, Type = "string" })] };
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["dataset"] = "acteurs", ["version"] = "floor" };
        await using var csv = writeCsv ? new CsvDatasetWriter(Path.Combine(output, "acteurs.csv"), schema) : null;
        await using var parquet = writeParquet ? await ParquetDatasetWriter.CreateAsync(Path.Combine(output, "acteurs.parquet"), schema, metadata, CancellationToken.None) : null;

        // The reader fills two batches in turn: the one being written stays whole while the
        // next is read, and a write ends before the reader comes back to its batch.
        var pending = Task.CompletedTask;
        long rows = 0;
        var sink = new CountingSink();
        int[]? index = null;
        await foreach (var batch in reader.ReadUtf8Async(sink, CancellationToken.None))
        {
            if (index is null)
            {
                index = [.. columns.Select(c => batch.FieldNames.ToList().IndexOf(c))];
                if (index.Contains(-1))
                {
                    Console.Error.WriteLine("error: the source schema lacks a projection column.");
                    return 2;
                }
            }

            rows += batch.Count;
            var projected = index.Select(i => batch.Columns[i]).ToArray();
            await pending;
            pending = Task.WhenAll(
                csv is null ? Task.CompletedTask : Task.Run(() => csv.WriteAsync(projected, CancellationToken.None)),
                parquet is null ? Task.CompletedTask : Task.Run(() => parquet.WriteAsync(projected, CancellationToken.None)));
        }

        await pending;
        if (csv is not null)
        {
            await csv.CompleteAsync(CancellationToken.None);
        }

        if (parquet is not null)
        {
            await parquet.CompleteAsync(CancellationToken.None);
        }

        Console.WriteLine($"floor-job bytes: {rows} rows read, {sink.Rejected} rejected by the reader");
        return 0;
    }
}
