using System.Globalization;
using Automotech.OpenData.Writers;

namespace Automotech.OpenData.Tests.Writers;

/// <summary>
/// Our Parquet writer, read back by DuckDB (and by hyparquet and Parquet.Net, two other
/// implementations of the format): every type with nulls, values as written and in
/// order across row groups, dictionaries of every index width, the RLE / bit-packing hybrid's
/// runs, statistics in the type's order (text by UTF-8 bytes), an empty file, and the same bytes
/// whatever the number of threads.
/// </summary>
public class ParquetWriterTests
{
    private static readonly TableSchema AllTypes = new()
    {
        Fields =
        [
            new SchemaField { Name = "code", Type = "string" },
            new SchemaField { Name = "texte", Type = "string" },
            new SchemaField { Name = "i", Type = "integer" },
            new SchemaField { Name = "n", Type = "number" },
            new SchemaField { Name = "b", Type = "boolean" },
            new SchemaField { Name = "d", Type = "date" },
            new SchemaField { Name = "t", Type = "datetime" },
            new SchemaField { Name = "y", Type = "year" },
        ],
    };

    [Fact]
    public async Task A_creation_cancelled_before_the_first_bytes_closes_its_file()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("t.parquet");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ParquetDatasetWriter.CreateAsync(path, AllTypes, new Dictionary<string, string>(), cancelled.Token));

        // The file was created; nothing holds it open any more.
        using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
        }
    }

    [Fact]
    public async Task Every_type_reads_back_as_written_across_row_groups_with_nulls_in_place()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("t.parquet");
        var expected = new List<string?[]>();
        await using (var writer = await ParquetDatasetWriter.CreateAsync(path, AllTypes, new Dictionary<string, string> { ["dataset"] = "t" }, CancellationToken.None))
        {
            // Three row groups of different sizes; patterns that make both long runs (nulls,
            // booleans, dictionary indices) and short ones.
            foreach (var size in new[] { 1, 2_000, 777 })
            {
                var rows = Enumerable.Range(expected.Count, size).Select(Row).ToArray();
                expected.AddRange(rows);
                await writer.WriteAsync(Batches.Of([.. AllTypes.FieldNames], rows), CancellationToken.None);
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        var types = DuckDb.Query($"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet({DuckDb.Quote(path)}))")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal("VARCHAR", types["code"]);
        Assert.Equal("BIGINT", types["i"]);
        Assert.Equal("DOUBLE", types["n"]);
        Assert.Equal("BOOLEAN", types["b"]);
        Assert.Equal("DATE", types["d"]);
        Assert.Equal("TIMESTAMP WITH TIME ZONE", types["t"]);
        Assert.Equal("INTEGER", types["y"]);

        var read = DuckDb.Query(
            $"SELECT code, texte, i::VARCHAR, n::VARCHAR, b::VARCHAR, d::VARCHAR, epoch_us(t)::VARCHAR, y::VARCHAR FROM read_parquet({DuckDb.Quote(path)})");
        Assert.Equal(expected.Count, read.Count);
        for (var r = 0; r < expected.Count; r++)
        {
            var want = expected[r];
            Assert.Equal(want[0], read[r][0]);
            Assert.Equal(want[1], read[r][1]);
            Assert.Equal(want[2], read[r][2]);
            Assert.Equal(want[3] is null ? (double?)null : double.Parse(want[3]!, CultureInfo.InvariantCulture), read[r][3] is string n ? double.Parse(n, CultureInfo.InvariantCulture) : null);
            Assert.Equal(want[4], read[r][4]);
            Assert.Equal(want[5], read[r][5]);
            Assert.Equal(want[6] is null ? null : Microseconds(want[6]!), read[r][6]);
            Assert.Equal(want[7], read[r][7]);
        }

        Assert.Equal(3L, DuckDb.Query($"SELECT count(*) FROM parquet_metadata({DuckDb.Quote(path)}) WHERE column_id = 0")[0][0]);
        var metadata = DuckDb.Query($"SELECT decode(key), decode(value) FROM parquet_kv_metadata({DuckDb.Quote(path)})");
        Assert.Equal("t", Assert.Single(metadata)[1]);
    }

    [Fact]
    public async Task A_second_reader_hyparquet_reads_the_same_values_and_statistics()
    {
        var folder = Path.Combine(Repo.Root, "tests", "parquet-js");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "hyparquet-compressors")), "run scripts/test.sh: it installs hyparquet");
        using var temp = new TempFolder();
        var path = temp.Combine("t.parquet");
        var expected = await WriteForOtherReadersAsync(path);

        var (code, output, errors) = await ChildProcess.RunAsync(new System.Diagnostics.ProcessStartInfo("node") { WorkingDirectory = folder }, ["read.mjs", path]);
        Assert.True(code == 0, errors);

        using var json = System.Text.Json.JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("automotech-opendata version 1.0.0", root.GetProperty("createdBy").GetString());
        Assert.Equal(3_000, root.GetProperty("rows").GetInt32());
        Assert.Equal(2, root.GetProperty("rowGroups").GetInt32());
        var values = root.GetProperty("values").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetString()).ToArray()).ToList();
        Assert.Equal(expected.Length, values.Count);
        for (var r = 0; r < expected.Length; r++)
        {
            var want = expected[r];
            var got = values[r];
            Assert.Equal(want[0], got[0]);
            Assert.Equal(want[1], got[1]);
            Assert.Equal(want[2], got[2]);
            Assert.Equal(want[3] is null ? (double?)null : double.Parse(want[3]!, CultureInfo.InvariantCulture), got[3] is { } n ? double.Parse(n, CultureInfo.InvariantCulture) : null);
            Assert.Equal(want[4], got[4]);
            Assert.Equal(want[5] is null ? null : want[5] + "T00:00:00.000Z", got[5]);
            Assert.Equal(want[6] is null ? null : want[6]![..19] + ".000Z", got[6]);
            Assert.Equal(want[7], got[7]);
        }

        // The statistics hyparquet finds are those of the values: the first row group's text
        // bounds by UTF-8 bytes (here ASCII and « », in both orders the same) and null counts.
        var firstGroup = root.GetProperty("stats")[0].EnumerateArray().ToDictionary(c => c.GetProperty("column").GetString()!);
        var texts = expected[..1_000].Select(r => r[1]).OfType<string>().ToList();
        Assert.Equal(texts.Min(StringComparer.Ordinal), firstGroup["texte"].GetProperty("min").GetString());
        Assert.Equal(texts.Max(StringComparer.Ordinal), firstGroup["texte"].GetProperty("max").GetString());
        Assert.Equal(expected[..1_000].Count(r => r[1] is null).ToString(CultureInfo.InvariantCulture), firstGroup["texte"].GetProperty("nulls").GetString());
        var integers = expected[..1_000].Select(r => r[2]).OfType<string>().Select(long.Parse).ToList();
        Assert.Equal(integers.Min().ToString(CultureInfo.InvariantCulture), firstGroup["i"].GetProperty("min").GetString());
        Assert.Equal(integers.Max().ToString(CultureInfo.InvariantCulture), firstGroup["i"].GetProperty("max").GetString());
    }

    [Fact]
    public async Task A_third_reader_Parquet_Net_reads_the_same_types_values_and_statistics()
    {
        // Parquet.Net, the .NET library the pipeline wrote with before its own writer: another
        // implementation of the format (Thrift, RLE hybrid, dictionaries, zstd) than DuckDB's
        // C++ and hyparquet's JavaScript.
        using var temp = new TempFolder();
        var path = temp.Combine("t.parquet");
        var expected = await WriteForOtherReadersAsync(path);

        await using var stream = File.OpenRead(path);
        await using var reader = await Parquet.ParquetReader.CreateAsync(stream);
        Assert.Equal("t", reader.CustomMetadata["dataset"]);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(AllTypes.FieldNames, fields.Select(f => f.Name));
        // Parquet.Net 6 gives UTF-8 text as ReadOnlyMemory<char> (or string, when asked).
        Assert.Equal(
            [typeof(ReadOnlyMemory<char>), typeof(ReadOnlyMemory<char>), typeof(long), typeof(double), typeof(bool), typeof(DateTime), typeof(DateTime), typeof(int)],
            fields.Select(f => f.ClrType));
        Assert.All(fields, f => Assert.True(f.IsNullable));
        Assert.Equal(2, reader.RowGroupCount);

        var columns = fields.Select(_ => new List<object?>()).ToArray();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = (int)group.RowCount;
            columns[0].AddRange(await Texts(group, fields[0], rows));
            columns[1].AddRange(await Texts(group, fields[1], rows));
            columns[2].AddRange(await Values<long>(group, fields[2], rows));
            columns[3].AddRange(await Values<double>(group, fields[3], rows));
            columns[4].AddRange(await Values<bool>(group, fields[4], rows));
            columns[5].AddRange(await Values<DateTime>(group, fields[5], rows));
            columns[6].AddRange(await Values<DateTime>(group, fields[6], rows));
            columns[7].AddRange(await Values<int>(group, fields[7], rows));

            // The first row group's statistics, as Parquet.Net decodes them.
            if (g == 0)
            {
                var texts = expected[..1_000].Select(r => r[1]).OfType<string>().ToList();
                var text = group.GetStatistics(fields[1])!;
                Assert.Equal(expected[..1_000].Count(r => r[1] is null), text.NullCount);
                Assert.Equal(texts.Min(StringComparer.Ordinal), text.MinValue);
                Assert.Equal(texts.Max(StringComparer.Ordinal), text.MaxValue);
                var integers = expected[..1_000].Select(r => r[2]).OfType<string>().Select(long.Parse).ToList();
                var integer = group.GetStatistics(fields[2])!;
                Assert.Equal((integers.Min(), integers.Max()), ((long)integer.MinValue!, (long)integer.MaxValue!));
            }
        }

        Assert.All(columns, c => Assert.Equal(expected.Length, c.Count));
        for (var r = 0; r < expected.Length; r++)
        {
            var want = expected[r];
            Assert.Equal(want[0], columns[0][r]);
            Assert.Equal(want[1], columns[1][r]);
            Assert.Equal(want[2] is null ? null : long.Parse(want[2]!, CultureInfo.InvariantCulture), (long?)columns[2][r]);
            Assert.Equal(want[3] is null ? null : double.Parse(want[3]!, CultureInfo.InvariantCulture), (double?)columns[3][r]);
            Assert.Equal(want[4] is null ? null : bool.Parse(want[4]!), (bool?)columns[4][r]);
            Assert.Equal(want[5], ((DateTime?)columns[5][r])?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            Assert.Equal(want[6], ((DateTime?)columns[6][r])?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            Assert.Equal(want[7] is null ? null : int.Parse(want[7]!, CultureInfo.InvariantCulture), (int?)columns[7][r]);
        }
    }

    /// <summary>3,000 rows of every type in two row groups (1,000 and 2,000), with key-value metadata dataset=t, for the other readers.</summary>
    private static async Task<string?[][]> WriteForOtherReadersAsync(string path)
    {
        var rows = Enumerable.Range(0, 3_000).Select(Row).ToArray();
        await using var writer = await ParquetDatasetWriter.CreateAsync(path, AllTypes, new Dictionary<string, string> { ["dataset"] = "t" }, CancellationToken.None);
        await writer.WriteAsync(Batches.Of([.. AllTypes.FieldNames], rows[..1_000]), CancellationToken.None);
        await writer.WriteAsync(Batches.Of([.. AllTypes.FieldNames], rows[1_000..]), CancellationToken.None);
        await writer.CompleteAsync(CancellationToken.None);
        return rows;
    }

    private static async Task<IEnumerable<object?>> Texts(Parquet.ParquetRowGroupReader group, Parquet.Schema.DataField field, int rows)
    {
        var values = new string?[rows];
        await group.ReadAsync(field, values.AsMemory());
        return values;
    }

    private static async Task<IEnumerable<object?>> Values<T>(Parquet.ParquetRowGroupReader group, Parquet.Schema.DataField field, int rows)
        where T : struct
    {
        var values = new T?[rows];
        await group.ReadAsync(field, values.AsMemory());
        return values.Select(v => (object?)v);
    }

    [Theory]
    [InlineData(1)]      // a constant column: one entry, indices of 1 bit
    [InlineData(3)]      // indices of 2 bits
    [InlineData(300)]    // 9
    [InlineData(70_000)] // 17
    public async Task Dictionaries_of_every_index_width_read_back(int distinct)
    {
        // Every odd row is v0 or null, so that the first 500 values repeat enough for a dictionary;
        // the even rows run through all the distinct values (70,000 of them at most).
        var schema = new TableSchema { Fields = [new SchemaField { Name = "v", Type = "string" }] };
        var rows = Enumerable.Range(0, 200_000).Select(i => new string?[] { i % 22 == 1 ? null : $"v{(i % 2 == 0 ? i / 2 : 0) % distinct}" }).ToArray();
        Assert.Equal(distinct, rows.Select(r => r[0]).OfType<string>().Distinct().Count());
        using var temp = new TempFolder();
        var path = temp.Combine("t.parquet");
        await WriteAsync(path, schema, rows);

        Assert.Contains("DICTIONARY", (string)DuckDb.Query($"SELECT encodings FROM parquet_metadata({DuckDb.Quote(path)})")[0][0]!, StringComparison.Ordinal);
        var read = DuckDb.Query($"SELECT v FROM read_parquet({DuckDb.Quote(path)})");
        Assert.Equal(rows.Select(r => r[0]), read.Select(r => (string?)r[0]));
    }

    [Fact]
    public async Task Statistics_are_in_the_types_order_and_text_in_UTF8_byte_order()
    {
        // U+1F600 is before U+E000 in .NET's ordinal order (a surrogate pair, D83D…), after it in
        // UTF-8 (F0… against EE…): the maximum is the emoji. "Z" is the minimum.
        var schema = new TableSchema
        {
            Fields =
            [
                new SchemaField { Name = "s", Type = "string" },
                new SchemaField { Name = "i", Type = "integer" },
                new SchemaField { Name = "n", Type = "number" },
                new SchemaField { Name = "d", Type = "date" },
            ],
        };
        string?[][] rows =
        [
            ["é", "-5", "0", "2026-11-25"],
            ["\uE000", "12", "-2.5", "1999-01-31"],
            [null, null, null, null],
            ["😀", "3", "7.25", "2007-06-01"],
            ["Z", "-40", "0", "2030-01-01"],
        ];
        using var temp = new TempFolder();
        var path = temp.Combine("t.parquet");
        await WriteAsync(path, schema, rows);

        var stats = DuckDb.Query($"SELECT path_in_schema, stats_min_value, stats_max_value, stats_null_count FROM parquet_metadata({DuckDb.Quote(path)})")
            .ToDictionary(r => (string)r[0]!, r => (Min: (string?)r[1], Max: (string?)r[2], Nulls: (long?)r[3]));
        Assert.Equal(("Z", "😀", 1L), (stats["s"].Min, stats["s"].Max, stats["s"].Nulls));
        Assert.Equal(("-40", "12", 1L), (stats["i"].Min, stats["i"].Max, stats["i"].Nulls));
        Assert.Equal(("-2.5", "7.25"), (stats["n"].Min, stats["n"].Max));
        Assert.Equal(("1999-01-31", "2030-01-01"), (stats["d"].Min, stats["d"].Max));

        // DuckDB skips a row group by them: a filter outside the bounds reads nothing.
        Assert.Equal(0L, DuckDb.Query($"SELECT count(*) FROM read_parquet({DuckDb.Quote(path)}) WHERE i > 12")[0][0]);
        Assert.Equal(1L, DuckDb.Query($"SELECT count(*) FROM read_parquet({DuckDb.Quote(path)}) WHERE s = '😀'")[0][0]);
    }

    [Fact]
    public async Task A_file_without_rows_has_the_schema()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("t.parquet");
        await WriteAsync(path, AllTypes, []);

        Assert.Equal(0L, DuckDb.Query($"SELECT count(*) FROM read_parquet({DuckDb.Quote(path)})")[0][0]);
        Assert.Equal(8, DuckDb.Query($"DESCRIBE SELECT * FROM read_parquet({DuckDb.Quote(path)})").Count);
    }

    [Fact]
    public async Task A_failed_write_is_the_error_and_leaves_no_footer_behind()
    {
        // Values reach the writer validated; one that is not breaks the run with its own error,
        // and disposing the writer afterwards neither hides it nor makes the file look whole.
        var schema = new TableSchema { Fields = [new SchemaField { Name = "i", Type = "integer" }] };
        using var temp = new TempFolder();
        var path = temp.Combine("t.parquet");
        var writer = await ParquetDatasetWriter.CreateAsync(path, schema, new Dictionary<string, string>(), CancellationToken.None);
        await writer.WriteAsync(Batches.Of(["i"], ["1"]), CancellationToken.None);
        await Assert.ThrowsAsync<FormatException>(() => writer.WriteAsync(Batches.Of(["i"], ["x"]), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.CompleteAsync(CancellationToken.None));
        await writer.DisposeAsync();

        Assert.False((await File.ReadAllBytesAsync(path)).AsSpan().EndsWith("PAR1"u8));
    }

    [Fact]
    public async Task The_bytes_do_not_depend_on_the_number_of_threads_or_the_run()
    {
        var rows = Enumerable.Range(0, 5_000).Select(Row).ToArray();
        using var temp = new TempFolder();
        var paths = new List<string>();
        foreach (var threads in new[] { 1, 2, 4, 2 })
        {
            var path = temp.Combine($"t{paths.Count}.parquet");
            await using (var writer = await ParquetDatasetWriter.CreateAsync(path, AllTypes, new Dictionary<string, string>(), CancellationToken.None, threads))
            {
                await writer.WriteAsync(Batches.Of([.. AllTypes.FieldNames], rows), CancellationToken.None);
                await writer.CompleteAsync(CancellationToken.None);
            }

            paths.Add(path);
        }

        var first = await File.ReadAllBytesAsync(paths[0]);
        foreach (var path in paths.Skip(1))
        {
            Assert.Equal(first, await File.ReadAllBytesAsync(path));
        }
    }

    [Fact]
    public async Task Cells_given_as_UTF8_bytes_write_the_same_file_as_strings()
    {
        // The byte path (the benchmarks' floor without strings) and the string path (the
        // pipeline) must not differ by a byte: every type, nulls, a dictionary column, plain
        // text with non-ASCII characters, a text column that switches from plain to a dictionary
        // between row groups, empty strings, a value longer than the decoding buffer, and an
        // emoji (a surrogate pair in .NET, 4 bytes in UTF-8).
        var schema = new TableSchema { Fields = [.. AllTypes.Fields, new SchemaField { Name = "mixte", Type = "string" }] };
        string?[] Extended(int i) =>
        [
            .. Row(i),
            i < 20_000 ? $"v{i}" : i % 11 == 0 ? null : i % 7 == 0 ? "" : i % 5 == 0 ? new string('é', 300 + i % 3) : i % 3 == 0 ? "😀 ok" : "oui",
        ];
        int[] sizes = [1, 1_000, 2_000, 777];
        var groups = sizes.Select((size, g) => Enumerable.Range(g * 10_000, size).Select(Extended).ToArray()).ToArray();

        using var temp = new TempFolder();
        var fromStrings = temp.Combine("strings.parquet");
        var fromBytes = temp.Combine("bytes.parquet");
        var metadata = new Dictionary<string, string> { ["dataset"] = "t" };
        await using (var writer = await ParquetDatasetWriter.CreateAsync(fromStrings, schema, metadata, CancellationToken.None))
        {
            foreach (var rows in groups)
            {
                await writer.WriteAsync(Batches.Of([.. schema.FieldNames], rows), CancellationToken.None);
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        await using (var writer = await ParquetDatasetWriter.CreateAsync(fromBytes, schema, metadata, CancellationToken.None))
        {
            // Columns reused from one row group to the next, as a reader's batches would be.
            var columns = schema.Fields.Select(_ => new Utf8Column(capacity: 4, byteCapacity: 16)).ToArray();
            foreach (var rows in groups)
            {
                for (var c = 0; c < columns.Length; c++)
                {
                    columns[c].Clear();
                    foreach (var row in rows)
                    {
                        if (row[c] is { } value)
                        {
                            columns[c].Add(System.Text.Encoding.UTF8.GetBytes(value));
                        }
                        else
                        {
                            columns[c].AddNull();
                        }
                    }
                }

                await writer.WriteAsync(columns, CancellationToken.None);
            }

            await writer.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(await File.ReadAllBytesAsync(fromStrings), await File.ReadAllBytesAsync(fromBytes));

        // And the column that changes encoding does: plain in the first two groups (distinct
        // values), then a dictionary.
        var encodings = DuckDb.Query($"SELECT row_group_id, encodings FROM parquet_metadata({DuckDb.Quote(fromBytes)}) WHERE path_in_schema = 'mixte' ORDER BY row_group_id");
        Assert.DoesNotContain("DICTIONARY", (string)encodings[1][1]!, StringComparison.Ordinal);
        Assert.Contains("DICTIONARY", (string)encodings[3][1]!, StringComparison.Ordinal);
        var read = DuckDb.Query($"SELECT mixte FROM read_parquet({DuckDb.Quote(fromBytes)})").Select(r => (string?)r[0]);
        Assert.Equal(groups.SelectMany(g => g).Select(r => r[^1]), read);
    }

    [Fact]
    public void A_UTF8_column_tells_missing_from_empty_and_keeps_its_values_as_it_grows()
    {
        var column = new Utf8Column(capacity: 1, byteCapacity: 1);
        column.Add("abc"u8);
        column.AddNull();
        column.Add([]);
        column.Add(System.Text.Encoding.UTF8.GetBytes(new string('x', 100)));
        Assert.Equal(4, column.Count);
        Assert.Equal("abc", System.Text.Encoding.UTF8.GetString(column[0]));
        Assert.True(column.IsNull(1));
        Assert.False(column.IsNull(2));
        Assert.Equal(0, column[2].Length);
        Assert.Equal(100, column[3].Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => column.IsNull(4));
        column.Clear();
        Assert.Equal(0, column.Count);
        column.Add("z"u8);
        Assert.Equal("z", System.Text.Encoding.UTF8.GetString(column[0]));
    }

    /// <summary>Row <paramref name="i"/> of a table that has each type, nulls, repeats and runs.</summary>
    private static string?[] Row(int i) =>
    [
        i % 13 == 0 ? null : $"code-{i / 50 % 6}",                                  // long runs, a dictionary
        i % 17 == 0 ? null : $"Établissement n°{i}, « {i * 7 % 1000} »",            // distinct: plain
        i % 5 == 0 ? null : (i * 7919L - 1_000_000).ToString(CultureInfo.InvariantCulture),
        i % 6 == 0 ? null : (i * 0.125 - 40.5).ToString("R", CultureInfo.InvariantCulture),
        i % 9 == 0 ? null : (i / 10 % 2 == 0 ? "true" : "false"),                    // runs of ten
        i % 4 == 0 ? null : new DateOnly(1990, 1, 1).AddDays(i * 3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        i % 8 == 0 ? null : new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(i * 3601.0).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        i % 3 == 0 ? null : (2000 + i % 27).ToString(CultureInfo.InvariantCulture),
    ];

    private static string Microseconds(string instant) =>
        ((DateTime.Parse(instant, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal).Ticks - DateTime.UnixEpoch.Ticks) / 10).ToString(CultureInfo.InvariantCulture);

    private static async Task WriteAsync(string path, TableSchema schema, string?[][] rows)
    {
        await using var writer = await ParquetDatasetWriter.CreateAsync(path, schema, new Dictionary<string, string>(), CancellationToken.None);
        if (rows.Length > 0)
        {
            await writer.WriteAsync(Batches.Of([.. schema.FieldNames], rows), CancellationToken.None);
        }

        await writer.CompleteAsync(CancellationToken.None);
    }
}
