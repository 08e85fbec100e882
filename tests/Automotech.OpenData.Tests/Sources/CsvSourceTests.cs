using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Sources;

namespace Automotech.OpenData.Tests.Sources;

public class CsvSourceTests
{
    private static readonly TableSchema Schema = new()
    {
        Fields =
        [
            new SchemaField { Name = "raison_sociale", Aliases = ["nom"], Constraints = new FieldConstraints { Required = true } },
            new SchemaField { Name = "code_postal" },
        ],
    };

    [Theory]
    [InlineData("Raison sociale")]
    [InlineData("RAISON_SOCIALE")]
    [InlineData("raison-sociale")]
    [InlineData("Raison Sociale ")]
    [InlineData("Nom")]
    public void Headers_match_regardless_of_case_accents_spaces_and_punctuation(string header)
    {
        var (columns, unmatched, _) = HeaderMatcher.Match(Schema, [header, "Code postal"]);
        Assert.Equal([0, 1], columns);
        Assert.Empty(unmatched);
    }

    [Fact]
    public void Accents_do_not_matter() => Assert.Equal(HeaderMatcher.Key("Dénomination"), HeaderMatcher.Key("DENOMINATION"));

    [Fact]
    public async Task Missing_required_column_is_a_clear_error_naming_file_and_column()
    {
        using var temp = new TempFolder();
        var path = temp.File("a.csv", "code_postal\r\n31000\r\n");
        var source = new CsvSource(path, Schema, "utf-8", ",", 10);
        var e = await Assert.ThrowsAsync<PipelineException>(async () =>
        {
            await foreach (var _ in source.ReadAsync(new RejectList(), CancellationToken.None))
            {
            }
        });
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("raison_sociale", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_that_stops_the_run_names_its_unknown_columns_by_position_only()
    {
        // The message goes to the console and CI logs: a header is text of the private source.
        using var temp = new TempFolder();
        var path = temp.File("a.csv", "Suivi par Zébulon Quintavalle,code_postal,Notes Zébulon\r\nx,31000,y\r\n");
        var source = new CsvSource(path, Schema, "utf-8", ",", 10);
        var e = await Assert.ThrowsAsync<PipelineException>(() => ReadAll(source));
        Assert.DoesNotContain("Zébulon", e.Message, StringComparison.Ordinal);
        Assert.Contains("missing-label: required column 'raison_sociale' is missing. Columns read: 3; fields found: code_postal (column 2); columns naming no field: 1, 3.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_stream_in_batches_with_their_source_line_numbers()
    {
        using var temp = new TempFolder();
        // The second record spans two lines (a quoted line break): the third starts on line 5.
        var path = temp.File("a.csv", "raison_sociale,code_postal,extra\r\nA,31000,x\r\n\"B\nsuite\",31100,x\r\nC,31200,x\r\nD,31300,x\r\n");
        var source = new CsvSource(path, Schema, "utf-8", ",", 2);
        var seen = new List<(long Line, string? Name)>();
        var sizes = new List<int>();
        var sink = new RejectList();
        await foreach (var batch in source.ReadAsync(sink, CancellationToken.None))
        {
            sizes.Add(batch.Count);
            for (var r = 0; r < batch.Count; r++)
            {
                seen.Add((batch.LineNumber(r), batch.Get(r, 0)));
            }
        }

        Assert.Equal([2, 2], sizes);
        Assert.Equal([(2L, "A"), (3L, "B\nsuite"), (5L, "C"), (6L, "D")], seen);
        var warning = Assert.Single(sink.Warnings);
        Assert.Equal(("extra-label", "colonne n° 3", 1L), (warning.Type, warning.FieldName, warning.LineNumber));
    }

    [Fact]
    public async Task Rows_with_too_many_or_too_few_cells_are_rejected_with_their_line()
    {
        using var temp = new TempFolder();
        var path = temp.File("a.csv", "raison_sociale,code_postal\nA,31000\nB\nC,31000,surplus\nD,31000\n");
        var rejects = new RejectList();
        var names = new List<string?>();
        await foreach (var batch in new CsvSource(path, Schema, "utf-8", ",", 10).ReadAsync(rejects, CancellationToken.None))
        {
            names.AddRange(Enumerable.Range(0, batch.Count).Select(r => batch.Get(r, 0)));
        }

        Assert.Equal(["A", "D"], names);
        Assert.Equal([("missing-cell", 3L), ("extra-cell", 4L)], rejects.Errors.Select(e => (e.Type, e.LineNumber)));
    }

    [Fact]
    public async Task Windows_1252_is_decoded_when_declared()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("a.csv");
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        await File.WriteAllBytesAsync(path, System.Text.Encoding.GetEncoding(1252).GetBytes("raison_sociale;code_postal\r\nGarage Sévérac;12150\r\n"));
        var names = new List<string?>();
        await foreach (var batch in new CsvSource(path, Schema, "windows-1252", ";", 10).ReadAsync(new RejectList(), CancellationToken.None))
        {
            names.Add(batch.Get(0, 0));
        }

        Assert.Equal(["Garage Sévérac"], names);
    }

    [Theory]
    [InlineData("raison_sociale,code_postal\r\nAlpha,31000\r\n", ',')]
    [InlineData("raison_sociale;code_postal\r\nAlpha;31000\r\n", ';')]
    [InlineData("raison_sociale\tcode_postal\r\nAlpha\t31000\r\n", '\t')]
    [InlineData("raison_sociale|code_postal\r\nAlpha|31000\r\n", '|')]
    public async Task Auto_detects_each_delimiter_the_docs_say_it_detects(string text, char expected)
    {
        using var temp = new TempFolder();
        var source = new CsvSource(temp.File("a.csv", text), Schema, "auto", "auto", 10);
        var rows = await SourceTestKit.ReadAllAsync(source);
        Assert.Equal(expected, source.Delimiter);
        Assert.Equal("Alpha|31000", string.Join('|', rows.Rows.Single().Values));
    }

    [Fact]
    public void Every_encoding_and_delimiter_the_loader_takes_is_one_the_reader_reads()
    {
        using var temp = new TempFolder();
        var path = temp.File("a.csv", "raison_sociale\r\nAlpha\r\n");
        foreach (var encoding in SourceChecks.Encodings.SelectMany(e => new[] { e, e.ToUpperInvariant() }))
        {
            _ = SourceEncoding.Resolve(encoding, path, out _);
        }

        foreach (var delimiter in SourceChecks.Delimiters)
        {
            _ = new CsvSource(path, Schema, "auto", delimiter, 10);
        }
    }

    [Fact]
    public async Task Windows_1252_is_detected_when_the_bytes_are_not_utf8()
    {
        var source = new CsvSource(Corpus.PathOf("windows1252_excel_semicolon.csv"), ActeursSource, "auto", "auto", 10);
        var names = new List<string?>();
        await foreach (var batch in source.ReadAsync(new RejectList(), CancellationToken.None))
        {
            names.AddRange(Enumerable.Range(0, batch.Count).Select(r => batch.Get(r, batch.IndexOf("raison_sociale"))));
        }

        Assert.Equal("windows-1252 (detected)", source.EncodingName);
        Assert.Equal(';', source.Delimiter);
        Assert.Contains("Société Sévérac Électronique", names);
    }

    [Fact]
    public async Task A_utf8_file_with_one_invalid_byte_is_detected_as_utf8_not_read_as_mojibake()
    {
        // An export whose every accent is UTF-8 but for one row (a cell pasted from an old
        // Windows file): that row is an encoding-error; the others keep their accents.
        using var temp = new TempFolder();
        var path = temp.Combine("a.csv");
        byte[] bytes = [.. "raison_sociale,code_postal\r\nGarage Sévérac,12150\r\nPièces Bérénice,31000\r\nCarrosserie "u8, 0xE9, .. "lan,81000\r\nÉlectronique du Gers,32000\r\n"u8];
        await File.WriteAllBytesAsync(path, bytes);
        var source = new CsvSource(path, Schema, "auto", "auto", 10);
        var rejects = new RejectList();
        var names = new List<string?>();
        await foreach (var batch in source.ReadAsync(rejects, CancellationToken.None))
        {
            names.AddRange(Enumerable.Range(0, batch.Count).Select(r => batch.Get(r, 0)));
        }

        Assert.Equal("utf-8 (detected)", source.EncodingName);
        Assert.Equal(["Garage Sévérac", "Pièces Bérénice", "Électronique du Gers"], names);
        Assert.Equal([("encoding-error", 4L)], rejects.Errors.Select(e => (e.Type, e.LineNumber)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_utf16_file_with_its_byte_order_mark_is_read_and_named_as_utf16(bool bigEndian)
    {
        // Excel's "Texte Unicode" export: UTF-16 with a byte order mark, tab-delimited. It was
        // read right but logged as "windows-1252 (detected)", which sends an operator astray.
        using var temp = new TempFolder();
        var path = temp.Combine("a.txt");
        var encoding = new System.Text.UnicodeEncoding(bigEndian, byteOrderMark: true);
        await File.WriteAllBytesAsync(path, [.. encoding.GetPreamble(), .. encoding.GetBytes("raison_sociale\tcode_postal\r\nGarage Sévérac\t12150\r\nÉlectronique du Gers\t32000\r\n")]);
        var source = new CsvSource(path, Schema, "auto", "auto", 10);
        var names = new List<string?>();
        await foreach (var batch in source.ReadAsync(new RejectList(), CancellationToken.None))
        {
            names.AddRange(Enumerable.Range(0, batch.Count).Select(r => batch.Get(r, 0)));
        }

        Assert.Equal(bigEndian ? "utf-16be (byte order mark)" : "utf-16le (byte order mark)", source.EncodingName);
        Assert.Equal(["Garage Sévérac", "Électronique du Gers"], names);
    }

    [Fact]
    public async Task A_windows_1252_file_with_a_chance_utf8_pair_is_still_detected_as_windows_1252()
    {
        // "É" then a no-break space (0xC9 0xA0) happens to be valid UTF-8; the file's other
        // accents are not: the majority decides.
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        using var temp = new TempFolder();
        var path = temp.Combine("a.csv");
        await File.WriteAllBytesAsync(path, System.Text.Encoding.GetEncoding(1252).GetBytes("raison_sociale;code_postal\r\nGARAGE DE L'ÉTÉ\u00A0: Sévérac;12150\r\nPièces Bérénice;31000\r\n"));
        var source = new CsvSource(path, Schema, "auto", "auto", 10);
        var names = new List<string?>();
        await foreach (var batch in source.ReadAsync(new RejectList(), CancellationToken.None))
        {
            names.AddRange(Enumerable.Range(0, batch.Count).Select(r => batch.Get(r, 0)));
        }

        Assert.Equal("windows-1252 (detected)", source.EncodingName);
        Assert.Equal(["GARAGE DE L'ÉTÉ\u00A0: Sévérac", "Pièces Bérénice"], names);
    }

    [Fact]
    public async Task More_rows_than_the_limit_stop_the_run_clearly()
    {
        using var temp = new TempFolder();
        var path = temp.File("a.csv", "raison_sociale,code_postal\nA,1\nB,2\nC,3\n");
        var e = await Assert.ThrowsAsync<PipelineException>(() => ReadAll(new CsvSource(path, Schema, "auto", "auto", 10, new SourceLimits { MaxRows = 2 })));
        Assert.Contains("max_rows (2)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_above_the_size_limit_is_refused_before_reading()
    {
        using var temp = new TempFolder();
        var path = temp.File("a.csv", "raison_sociale,code_postal\nA,1\n");
        var e = await Assert.ThrowsAsync<PipelineException>(() => ReadAll(new CsvSource(path, Schema, "auto", "auto", 10, new SourceLimits { MaxFileBytes = 10 })));
        Assert.Contains("max_file_bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_two_gigabyte_line_stops_the_run_without_exhausting_memory()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("huge.csv");
        await using (var file = File.Create(path))
        {
            await file.WriteAsync("raison_sociale,code_postal\r\nA,31000\r\nB,"u8.ToArray());
            file.SetLength(2L * 1024 * 1024 * 1024); // a sparse 2 GB record: costs no disk
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var e = await Assert.ThrowsAsync<PipelineException>(() => ReadAll(new CsvSource(path, Schema, "utf-8", ",", 10)));
        var grown = GC.GetTotalMemory(forceFullCollection: false) - before;
        Assert.Contains("after line 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("MaxRecordSize", e.Message, StringComparison.Ordinal);
        Assert.True(grown < 64 * 1024 * 1024, $"memory grew by {grown} bytes");
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public async Task Read_as_UTF8_bytes_every_corpus_file_gives_the_rows_and_rejections_of_strings(string fileName)
    {
        // The reader of the floor without strings: each cell the UTF-8 of the text the string
        // reader gives (transcoded from Windows-1252 or ISO-8859-1), a field the file lacks
        // missing, the same lines, batches, warnings and rejections, or the same fatal error.
        var (strings, stringSink, stringError) = await ReadBothWays(fileName, utf8: false);
        var (bytes, byteSink, byteError) = await ReadBothWays(fileName, utf8: true);

        Assert.Equal(stringError, byteError);
        Assert.Equal(strings, bytes);
        Assert.Equal(Describe(stringSink), Describe(byteSink));
    }

    public static TheoryData<string> CorpusFiles() =>
        [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "corpus")).Where(f => !f.EndsWith(".py", StringComparison.Ordinal)).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task The_UTF8_reader_is_not_the_string_reader_by_accident()
    {
        // What the comparison above rests on: the byte reader's cells are the file's text, here
        // accented and quoted, and a missing field is told from an empty one.
        var (rows, _, error) = await ReadBothWays("quoted_delimiters_quotes_line_breaks.csv", utf8: true);
        Assert.Null(error);
        Assert.Contains(rows, r => r.Contains('\n', StringComparison.Ordinal) && r.Contains('"', StringComparison.Ordinal));
        var (accented, _, _) = await ReadBothWays("windows1252_excel_semicolon.csv", utf8: true);
        Assert.Contains(accented, r => r.Contains("Société Sévérac Électronique", StringComparison.Ordinal));
        var (optional, _, optionalError) = await ReadBothWays("missing_label_optional_description.csv", utf8: true);
        Assert.Null(optionalError);
        Assert.Equal(3, optional.Count); // the file's three rows, each read
        Assert.All(optional, r => Assert.Contains("description=<null>", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_UTF8_batch_stays_whole_while_the_next_one_is_read()
    {
        // What lets a batch be written while the next is read: the reader fills two in turn.
        using var temp = new TempFolder();
        var path = temp.File("a.csv", "raison_sociale,code_postal\nA,1\nB,2\nC,3\nD,4\nE,5\n");
        Utf8Batch? previous = null;
        string? previousText = null;
        var checkedPairs = 0;
        await foreach (var batch in new CsvSource(path, Schema, "utf-8", ",", 2).ReadUtf8Async(new RejectList(), CancellationToken.None))
        {
            if (previous is not null)
            {
                Assert.NotSame(previous, batch);
                Assert.Equal(previousText, Text(previous));
                checkedPairs++;
            }

            (previous, previousText) = (batch, Text(batch));
        }

        Assert.Equal(2, checkedPairs);
        static string Text(Utf8Batch b) => string.Join(',', Enumerable.Range(0, b.Count).Select(r => System.Text.Encoding.UTF8.GetString(b.Columns[0][r])));
    }

    /// <summary>Each row as one line (batch, line, then every field's text or &lt;null&gt;), the sink, and the fatal error if any.</summary>
    private static async Task<(List<string> Rows, RejectList Sink, string? Error)> ReadBothWays(string fileName, bool utf8)
    {
        var source = new CsvSource(Corpus.PathOf(fileName), ActeursSource, "auto", "auto", 2);
        var sink = new RejectList();
        var rows = new List<string>();
        var batches = 0;
        try
        {
            if (utf8)
            {
                await foreach (var batch in source.ReadUtf8Async(sink, CancellationToken.None))
                {
                    batches++;
                    for (var r = 0; r < batch.Count; r++)
                    {
                        var row = r;
                        rows.Add($"{batches} {batch.LineNumber(r)} " + string.Join('|', batch.Columns.Select((c, f) =>
                            $"{batch.FieldNames[f]}={(c.IsNull(row) ? "<null>" : System.Text.Encoding.UTF8.GetString(c[row]))}")));
                    }
                }
            }
            else
            {
                await foreach (var batch in source.ReadAsync(sink, CancellationToken.None))
                {
                    batches++;
                    for (var r = 0; r < batch.Count; r++)
                    {
                        var row = r;
                        rows.Add($"{batches} {batch.LineNumber(r)} " + string.Join('|', batch.FieldNames.Select((name, f) => $"{name}={batch.Get(row, f) ?? "<null>"}")));
                    }
                }
            }
        }
        catch (PipelineException e)
        {
            return (rows, sink, e.Message);
        }

        return (rows, sink, null);
    }

    private static List<string> Describe(RejectList sink) =>
        [
            .. sink.Rows.Select(r => $"{r.LineNumber} {string.Join(',', r.Errors.Select(e => e.Type))} {string.Join('|', r.Values.Select(v => v ?? "<null>"))}"),
            .. sink.Warnings.Select(w => $"warning {w.LineNumber} {w.Type} {w.FieldName} {w.Message}"),
        ];

    private static readonly TableSchema ActeursSource = PipelineLoader.Load(Path.Combine(Repo.Pipelines, "acteurs")).Source.Schema;

    private static async Task ReadAll(CsvSource source)
    {
        await foreach (var _ in source.ReadAsync(new RejectList(), CancellationToken.None))
        {
        }
    }
}
