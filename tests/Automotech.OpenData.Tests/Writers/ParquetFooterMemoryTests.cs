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
        long early;
        long late;
        await using (var writer = await ParquetDatasetWriter.CreateAsync(path, Schema, new Dictionary<string, string> { ["dataset"] = "t" }, CancellationToken.None))
        {
            // The first row groups grow the writer's buffers to their working size.
            for (var g = 0; g < 100; g++)
            {
                await writer.WriteAsync(Group(g), CancellationToken.None);
            }

            early = GC.GetTotalMemory(forceFullCollection: true);
            for (var g = 100; g < 1_100; g++)
            {
                await writer.WriteAsync(Group(g), CancellationToken.None);
            }

            late = GC.GetTotalMemory(forceFullCollection: true);
            GC.KeepAlive(writer);

            // Past 64 KiB of footer entries, they wait in a private file beside the output.
            Assert.Equal([".t.parquet.row-groups", "t.parquet"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            await writer.CompleteAsync(CancellationToken.None);
        }

        // Held in memory until the footer, the 1,000 row groups' chunk records and statistics
        // grew it by 1.2 MB here (about 200 bytes per column chunk).
        Assert.True(late - early < 256 * 1024, $"The managed heap grew by {late - early:N0} bytes over 1,000 row groups.");

        // The footer still describes every row group, and nothing but the file is left.
        Assert.Equal(1_100L, DuckDb.Query($"SELECT count(DISTINCT row_group_id) FROM parquet_metadata({DuckDb.Quote(path)})")[0][0]);
        var read = DuckDb.Query($"SELECT count(*), count(code), max(texte) FROM read_parquet({DuckDb.Quote(path)})")[0];
        Assert.Equal(22_000L, read[0]);
        Assert.Equal(22_000L - (1_100L * 2), read[1]); // rows 0 and 13 of each group have no code
        Assert.Equal("Établissement n°9", read[2]);

        // In the footer's order (held entries after the spooled ones), each row where it was written.
        Assert.Equal(0L, DuckDb.Query($"SELECT count(*) FROM read_parquet({DuckDb.Quote(path)}, file_row_number = true) WHERE i <> (file_row_number // 20) * 1000 + file_row_number % 20")[0][0]);
        Assert.Equal(["t.parquet"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_small_file_keeps_its_footer_in_memory_and_a_failed_write_leaves_nothing_but_the_unfinished_file()
    {
        using var temp = new TempFolder();
        var small = temp.Combine("small.parquet");
        var path = temp.Combine("t.parquet");
        var batch = Group(0);
        await using (var writer = await ParquetDatasetWriter.CreateAsync(small, Schema, new Dictionary<string, string>(), CancellationToken.None))
        {
            await writer.WriteAsync(batch, CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
        }

        var failing = await ParquetDatasetWriter.CreateAsync(path, Schema, new Dictionary<string, string>(), CancellationToken.None);
        for (var g = 0; g < 1_000; g++)
        {
            await failing.WriteAsync(batch, CancellationToken.None);
        }

        Assert.True(File.Exists(temp.Combine(".t.parquet.row-groups")));
        var bad = Row(1);
        bad[2] = "x";
        await Assert.ThrowsAsync<FormatException>(() => failing.WriteAsync(Batches.Of([.. Schema.FieldNames], bad), CancellationToken.None));
        await failing.DisposeAsync();

        Assert.Equal(["small.parquet", "t.parquet"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.False((await File.ReadAllBytesAsync(path)).AsSpan().EndsWith("PAR1"u8));
        Assert.Equal(20L, DuckDb.Query($"SELECT count(*) FROM read_parquet({DuckDb.Quote(small)})")[0][0]);
    }

    /// <summary>Row group <paramref name="g"/>: 20 rows, whose <c>i</c> is <c>g × 1000 + row</c>.</summary>
    private static ColumnBatch Group(int g)
    {
        var rows = new string?[20][];
        for (var r = 0; r < rows.Length; r++)
        {
            rows[r] = Row(r);
            rows[r][2] = (g * 1000L + r).ToString(CultureInfo.InvariantCulture);
        }

        return Batches.Of([.. Schema.FieldNames], rows);
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
