using System.Globalization;
using Automotech.OpenData.Tests.Sirene;
using Automotech.OpenData.Writers;

namespace Automotech.OpenData.Tests.Writers;

/// <summary>
/// A Parquet file's footer describes every row group (offsets, sizes, statistics), and is written
/// after the last one. What the writer keeps for it while the data streams must not grow with the
/// number of row groups: at 10M rows (1,000 row groups of 23 columns) the records held until the
/// end were 10–14 MiB of the Worker's peak (docs/benchmarks.md). Run alone, since it reads the
/// process's managed heap.
/// </summary>
[Collection(nameof(PeakMemoryAlone))]
public class ParquetFooterMemoryTests
{
    private static readonly TableSchema Schema = new()
    {
        Fields =
        [
            new SchemaField { Name = "code", Type = "string" },
            new SchemaField { Name = "texte", Type = "string" },
            new SchemaField { Name = "i", Type = "integer" },
            new SchemaField { Name = "n", Type = "number" },
            new SchemaField { Name = "d", Type = "date" },
            new SchemaField { Name = "y", Type = "year" },
        ],
    };

    [Fact]
    public async Task What_the_writer_holds_for_the_footer_does_not_grow_with_the_row_groups()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("t.parquet");
        var batch = Batches.Of([.. Schema.FieldNames], [.. Enumerable.Range(0, 20).Select(Row)]);
        long early;
        long late;
        await using (var writer = await ParquetDatasetWriter.CreateAsync(path, Schema, new Dictionary<string, string> { ["dataset"] = "t" }, CancellationToken.None))
        {
            // The first row groups grow the writer's buffers to their working size.
            for (var g = 0; g < 100; g++)
            {
                await writer.WriteAsync(batch, CancellationToken.None);
            }

            early = GC.GetTotalMemory(forceFullCollection: true);
            for (var g = 0; g < 1_000; g++)
            {
                await writer.WriteAsync(batch, CancellationToken.None);
            }

            late = GC.GetTotalMemory(forceFullCollection: true);
            GC.KeepAlive(writer);
            await writer.CompleteAsync(CancellationToken.None);
        }

        // Held in memory until the footer, the 1,000 row groups' chunk records and statistics
        // grew it by 1.2 MB here (about 200 bytes per column chunk).
        Assert.True(late - early < 256 * 1024, $"The managed heap grew by {late - early:N0} bytes over 1,000 row groups.");

        // The footer still describes every row group, and nothing but the file is left.
        Assert.Equal(1_100L, DuckDb.Query($"SELECT count(DISTINCT row_group_id) FROM parquet_metadata({DuckDb.Quote(path)})")[0][0]);
        var read = DuckDb.Query($"SELECT count(*), count(code), min(i), max(i), max(texte) FROM read_parquet({DuckDb.Quote(path)})")[0];
        Assert.Equal(22_000L, read[0]);
        Assert.Equal(1_100L * batch.Count - (1_100L * 2), read[1]); // rows 0 and 13 of each batch have no code
        Assert.Equal(-1_000_000L, read[2]);
        Assert.Equal((19 * 7919L) - 1_000_000, read[3]);
        Assert.Equal("Établissement n°9", read[4]);
        Assert.Equal(["t.parquet"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_failed_write_leaves_nothing_but_the_unfinished_file()
    {
        var schema = new TableSchema { Fields = [new SchemaField { Name = "i", Type = "integer" }] };
        using var temp = new TempFolder();
        var path = temp.Combine("t.parquet");
        var writer = await ParquetDatasetWriter.CreateAsync(path, schema, new Dictionary<string, string>(), CancellationToken.None);
        await writer.WriteAsync(Batches.Of(["i"], ["1"]), CancellationToken.None);
        await Assert.ThrowsAsync<FormatException>(() => writer.WriteAsync(Batches.Of(["i"], ["x"]), CancellationToken.None));
        await writer.DisposeAsync();

        Assert.Equal(["t.parquet"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName));
        Assert.False((await File.ReadAllBytesAsync(path)).AsSpan().EndsWith("PAR1"u8));
    }

    private static string?[] Row(int i) =>
    [
        i % 13 == 0 ? null : $"code-{i % 3}",
        $"Établissement n°{i}",
        (i * 7919L - 1_000_000).ToString(CultureInfo.InvariantCulture),
        (i * 0.125 - 40.5).ToString("R", CultureInfo.InvariantCulture),
        new DateOnly(1990, 1, 1).AddDays(i * 3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        (2000 + i).ToString(CultureInfo.InvariantCulture),
    ];
}
