using System.Globalization;
using Automotech.OpenData.Writers;
using CsvHelper;

namespace Automotech.OpenData.Tests.Writers;

public class WritersTests
{
    private static readonly TableSchema Schema = new()
    {
        Fields =
        [
            new SchemaField { Name = "s", Type = "string" },
            new SchemaField { Name = "i", Type = "integer" },
            new SchemaField { Name = "n", Type = "number" },
            new SchemaField { Name = "b", Type = "boolean" },
            new SchemaField { Name = "d", Type = "date" },
            new SchemaField { Name = "y", Type = "year" },
        ],
    };

    private static readonly string[] Fields = ["s", "i", "n", "b", "d", "y"];

    private static readonly string?[][] SampleRows =
    [
        ["Garage, \"Le Relais\"\nde Rodez", "42", "43.60447", "true", "2026-11-25", "2019"],
        [null, null, null, null, null, null],
        ["=1+1", "-7", "-0.5", "false", "2007-01-01", "2007"],
    ];

    private static ColumnBatch Sample() => Batches.Of(Fields, SampleRows);

    [Fact]
    public async Task Parquet_is_read_back_by_DuckDB_with_the_schema_types()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("t.parquet");
        await using (var writer = await ParquetDatasetWriter.CreateAsync(path, Schema, new Dictionary<string, string> { ["dataset"] = "t", ["version"] = "2026-11-25" }, CancellationToken.None))
        {
            await writer.WriteAsync(Sample(), CancellationToken.None);
            await writer.WriteAsync(Sample(), CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
        }

        var types = DuckDb.Query($"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet({DuckDb.Quote(path)}))")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal(new Dictionary<string, string> { ["s"] = "VARCHAR", ["i"] = "BIGINT", ["n"] = "DOUBLE", ["b"] = "BOOLEAN", ["d"] = "DATE", ["y"] = "INTEGER" }, types);
        var rows = DuckDb.Query($"SELECT s, i, n, b, d, y FROM read_parquet({DuckDb.Quote(path)}) LIMIT 3");
        Assert.Equal(["Garage, \"Le Relais\"\nde Rodez", 42L, 43.60447, true, new DateOnly(2026, 11, 25), 2019], rows[0].Select(Normalise));
        Assert.All(rows[1], Assert.Null);
        Assert.Equal(6L, DuckDb.Query($"SELECT count(*) FROM read_parquet({DuckDb.Quote(path)})")[0][0]);
        Assert.Equal(2L, DuckDb.Query($"SELECT count(*) FROM parquet_metadata({DuckDb.Quote(path)}) WHERE column_id = 0")[0][0]);
        var metadata = DuckDb.Query($"SELECT decode(key), decode(value) FROM parquet_kv_metadata({DuckDb.Quote(path)})")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal("2026-11-25", metadata["version"]);
        var compression = DuckDb.Query($"SELECT DISTINCT compression FROM parquet_metadata({DuckDb.Quote(path)})");
        Assert.Equal("ZSTD", Assert.Single(compression)[0]);
    }

    [Fact]
    public async Task Parquet_dictionary_encodes_repeated_text_and_keeps_distinct_text_plain()
    {
        // A code repeated down the column, a text that differs on every row, and a number.
        var schema = new TableSchema
        {
            Fields =
            [
                new SchemaField { Name = "code", Type = "string" },
                new SchemaField { Name = "nom", Type = "string" },
                new SchemaField { Name = "n", Type = "integer" },
            ],
        };
        string[] codes = ["29.10Z", "29.20Z", "29.31Z", "29.32Z"];
        var batch = Batches.Of(
            ["code", "nom", "n"],
            [.. Enumerable.Range(0, 2000).Select(i => new string?[] { i % 7 == 0 ? null : codes[i % codes.Length], $"Établissement n°{i}", i.ToString(CultureInfo.InvariantCulture) })]);
        using var temp = new TempFolder();
        var path = temp.Combine("t.parquet");
        await using (var writer = await ParquetDatasetWriter.CreateAsync(path, schema, new Dictionary<string, string>(), CancellationToken.None))
        {
            await writer.WriteAsync(batch, CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
        }

        var encodings = DuckDb.Query($"SELECT path_in_schema, encodings FROM parquet_metadata({DuckDb.Quote(path)})")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Contains("DICTIONARY", encodings["code"], StringComparison.Ordinal);
        Assert.DoesNotContain("DICTIONARY", encodings["nom"], StringComparison.Ordinal);
        Assert.DoesNotContain("DICTIONARY", encodings["n"], StringComparison.Ordinal);

        // The values read back are the ones written, nulls in place.
        var rows = DuckDb.Query($"SELECT code, nom FROM read_parquet({DuckDb.Quote(path)})");
        Assert.Equal(2000, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(i % 7 == 0 ? null : codes[i % codes.Length], rows[i][0]);
            Assert.Equal($"Établissement n°{i}", rows[i][1]);
        }
    }

    [Fact]
    public async Task Csv_is_RFC_4180_and_parses_back_to_the_same_values()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("t.csv");
        await using (var writer = new CsvDatasetWriter(path, Schema))
        {
            await writer.WriteAsync(Sample(), CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
        }

        var bytes = await File.ReadAllBytesAsync(path);
        Assert.False(bytes.AsSpan().StartsWith("\uFEFF"u8), "no BOM");
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.StartsWith("s,i,n,b,d,y\r\n\"Garage, \"\"Le Relais\"\"\nde Rodez\",42,", text, StringComparison.Ordinal);
        using var reader = CsvReader.Create(File.OpenRead(path), CsvReaderOptions.Default with { Separator = ',', FieldCountMismatch = CsvFieldCountHandling.Throw, MalformedData = CsvMalformedDataHandling.Throw }, leaveOpen: false);
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
        }

        Assert.Equal(["Garage, \"Le Relais\"\nde Rodez", "42", "43.60447", "true", "2026-11-25", "2019"], rows[0]);
        Assert.Equal(["", "", "", "", "", ""], rows[1]);
        Assert.Equal(3, rows.Count);
    }

    [Fact]
    public async Task Neutralised_formula_cells_get_a_leading_quote_in_the_csv_only_for_text()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("t.csv");
        await using (var writer = new CsvDatasetWriter(path, Schema, neutraliseFormulas: true))
        {
            await writer.WriteAsync(Sample(), CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
        }

        var lines = (await File.ReadAllTextAsync(path)).Split("\r\n");
        Assert.StartsWith("'=1+1,-7,-0.5,", lines[^2], StringComparison.Ordinal); // text escaped, the number -7 not
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Csv_written_from_UTF8_bytes_is_the_file_written_from_strings(bool neutralise)
    {
        // Quotes, commas, line breaks, non-ASCII text, an emoji, formulas in text (escaped when
        // neutralised) and in numbers (never), missing and empty values, a long formula.
        string?[][] rows =
        [
            .. SampleRows,
            ["Société « Sévérac » 😀", "0", "1", "false", "2000-02-29", "2000"],
            ["", "-3", "-3.25", "true", "1999-12-31", "1999"],
            ["@SUM(A1)", "12", "0", "true", "2026-01-01", "2026"],
            ["\tonglet", "1", "1", "true", "2026-01-01", "2026"],
            ["+" + new string('x', 400), "1", "1", "true", "2026-01-01", "2026"],
            ["é=1", "1", "1", "true", "2026-01-01", "2026"],
        ];
        using var temp = new TempFolder();
        var fromStrings = temp.Combine("strings.csv");
        var fromBytes = temp.Combine("bytes.csv");
        await using (var writer = new CsvDatasetWriter(fromStrings, Schema, neutralise))
        {
            await writer.WriteAsync(Batches.Of(Fields, rows[..3]), CancellationToken.None);
            await writer.WriteAsync(Batches.Of(Fields, rows[3..]), CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
        }

        await using (var writer = new CsvDatasetWriter(fromBytes, Schema, neutralise))
        {
            await writer.WriteAsync(Utf8Of(Fields, rows[..3]).Columns, CancellationToken.None);
            await writer.WriteAsync(Utf8Of(Fields, rows[3..]).Columns, CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
        }

        var text = await File.ReadAllTextAsync(fromBytes);
        Assert.Equal(await File.ReadAllBytesAsync(fromStrings), await File.ReadAllBytesAsync(fromBytes));
        Assert.Contains(neutralise ? "\r\n'+xxx" : "\r\n+xxx", text, StringComparison.Ordinal);
        Assert.Contains("\r\nSociété « Sévérac » 😀,0,", text, StringComparison.Ordinal);
    }

    /// <summary>The rows as <see cref="Batches.Of"/> makes them, each cell its UTF-8 bytes (null a missing value).</summary>
    private static Utf8Batch Utf8Of(string[] fields, params string?[][] rows)
    {
        var batch = new Utf8Batch(fields, Math.Max(1, rows.Length));
        for (var r = 0; r < rows.Length; r++)
        {
            batch.AddRow(r + 2);
            for (var f = 0; f < fields.Length; f++)
            {
                if (rows[r][f] is { } value)
                {
                    batch.Columns[f].Add(System.Text.Encoding.UTF8.GetBytes(value));
                }
                else
                {
                    batch.Columns[f].AddNull();
                }
            }
        }

        return batch;
    }

    private static object? Normalise(object? value) => value switch
    {
        DateTime dt => DateOnly.FromDateTime(dt),
        _ => value,
    };
}
