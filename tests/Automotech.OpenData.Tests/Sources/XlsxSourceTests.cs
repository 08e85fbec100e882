using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Sources;
using static Automotech.OpenData.Tests.Sources.XlsxBuilder;

namespace Automotech.OpenData.Tests.Sources;

public class XlsxSourceTests
{
    private static readonly TableSchema Schema = new()
    {
        Fields =
        [
            new SchemaField { Name = "raison_sociale", Aliases = ["nom"], Constraints = new FieldConstraints { Required = true } },
            new SchemaField { Name = "effectif", Type = "integer" },
            new SchemaField { Name = "code_postal" },
            new SchemaField { Name = "adherent", Type = "boolean" },
            new SchemaField { Name = "date_adhesion", Type = "date" },
        ],
    };

    private static XlsxSource Source(TempFolder temp, XlsxBuilder book, string? sheet = null, int headerRows = 1, TableSchema? schema = null, int batchSize = 2, int? headerRow = null) =>
        XlsxSource.FromFile(book.Save(temp, "book.xlsx"), schema ?? Schema, sheet, headerRows, batchSize, headerRow: headerRow);

    private static string Header(XlsxBuilder b) => Row(1, b.S("A1", "Raison sociale"), b.S("B1", "Effectif"), b.S("C1", "Code postal"), b.S("D1", "Adhérent"), b.S("E1", "Date adhésion"));

    [Fact]
    public async Task Cells_land_in_their_column_by_reference_and_rows_keep_their_excel_number()
    {
        using var temp = new TempFolder();
        var b = new XlsxBuilder();
        b.Sheet("Acteurs", Header(b)
            + Row(2, b.S("A2", "Alpha"), N("B2", "100000"), b.S("C2", "01234"), B("D2", true), N("E2", "45292"))
            + Row(3, I("A3", "Beta"), B("D3", false))                         // sparse: B, C and E absent
            + "<row r=\"4\"/>" + Row(5, I("A5", " "), I("C5", ""))            // empty rows are skipped
            + Row(7, b.S("A7", "Gamma"), N("B7", "1E+5"), N("C7", "31000"), N("E7", "45292.75")));
        var (rows, sink) = await SourceTestKit.ReadAllAsync(Source(temp, b));
        Assert.Empty(sink.Rows);
        Assert.Equal([2L, 3L, 7L], rows.Select(r => r.Line));
        SourceTestKit.AssertRow(rows[0].Values, "Alpha", "100000", "01234", "true", "2024-01-01");
        SourceTestKit.AssertRow(rows[1].Values, "Beta", null, null, "false", null);
        SourceTestKit.AssertRow(rows[2].Values, "Gamma", "100000", "31000", null, "2024-01-01"); // a date keeps its day, not its time
    }

    [Theory]
    [InlineData("100000", "100000")]              // integers without ".0"
    [InlineData("1E+5", "100000")]                // no exponent
    [InlineData("1.5E-05", "0.000015")]
    [InlineData("0.30000000000000004", "0.3")]    // as Excel shows it: 15 significant digits
    [InlineData("12.50", "12.5")]
    [InlineData("-3", "-3")]
    [InlineData("73405323400021", "73405323400021")] // a SIRET typed as a number keeps every digit
    public void Numbers_become_canonical_invariant_text(string stored, string expected) =>
        Assert.Equal(expected, XlsxCells.CanonicalNumber(stored));

    [Theory]
    [InlineData("1", false, "1900-01-01")]
    [InlineData("59", false, "1900-02-28")]
    [InlineData("61", false, "1900-03-01")]       // after Excel's fictional 1900-02-29, serials are one day late
    [InlineData("45292", false, "2024-01-01")]
    [InlineData("2958465", false, "9999-12-31")]
    [InlineData("0", true, "1904-01-01")]
    [InlineData("43830", true, "2024-01-01")]     // 45292 - 1462 days between the two systems
    public void Date_serials_become_iso_dates_in_both_date_systems(string serial, bool date1904, string expected)
    {
        Assert.Equal(expected, XlsxCells.SerialToIso(serial, date1904, withTime: false, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("60")]      // 1900-02-29, which never was
    [InlineData("0")]       // Excel's "1900-01-00"
    [InlineData("-1")]
    [InlineData("2958466")] // after 9999-12-31
    public void Serials_that_are_no_date_are_errors_in_the_1900_system(string serial)
    {
        Assert.Null(XlsxCells.SerialToIso(serial, date1904: false, withTime: false, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void A_datetime_keeps_its_time_to_the_second() =>
        Assert.Equal("2024-01-01T18:00:00", XlsxCells.SerialToIso("45292.75", false, withTime: true, out _));

    [Fact]
    public async Task The_1904_flag_of_the_workbook_shifts_every_date()
    {
        using var temp = new TempFolder();
        var b = new XlsxBuilder { Date1904 = true };
        b.Sheet("Acteurs", Header(b) + Row(2, b.S("A2", "Alpha"), N("E2", "43830")));
        var source = Source(temp, b);
        var (rows, _) = await SourceTestKit.ReadAllAsync(source);
        Assert.Equal("2024-01-01", rows[0].Values[4]);
        Assert.Contains("1904", source.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_cells_reject_their_row_with_the_excel_cell_named()
    {
        using var temp = new TempFolder();
        var b = new XlsxBuilder();
        b.Sheet("Acteurs", Header(b)
            + Row(2, b.S("A2", "Alpha"), N("E2", "60"))
            + Row(3, b.S("A3", "Beta"), E("B3", "#N/A"))
            + Row(4, b.S("A4", "Gamma"), b.S("G4", "note sans en-tête"))
            + Row(5, b.S("A5", "Delta")));
        var (rows, sink) = await SourceTestKit.ReadAllAsync(Source(temp, b));
        Assert.Equal([5L], rows.Select(r => r.Line));
        Assert.Equal([2L, 3L, 4L], sink.Rows.Select(r => r.LineNumber));
        var errors = sink.Errors.ToList();
        Assert.Equal(("type-error", "date_adhesion"), (errors[0].Type, errors[0].FieldName));
        Assert.Contains("E2", errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("cellule B3 : erreur Excel #N/A", errors[1].Message);
        Assert.Equal("extra-cell", errors[2].Type);
        Assert.Contains("G4", errors[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_label_merged_across_columns_names_its_first_column_as_excel_saves_it_to_csv()
    {
        using var temp = new TempFolder();
        var b = new XlsxBuilder();
        b.Sheet("Acteurs", Row(1, b.S("A1", "Nom"), b.S("B1", "Effectif")) + Row(2, b.S("A2", "Alpha"), N("B2", "12"), b.S("C2", "ignoré")), merges: "B1:C1", dimension: "A1:C2");
        var (rows, sink) = await SourceTestKit.ReadAllAsync(Source(temp, b));
        SourceTestKit.AssertRow(rows.Single().Values, "Alpha", "12", null, null, null);
        Assert.Empty(sink.Rows); // C is inside the used range: a column without a name, ignored as in a CSV file
        Assert.Contains(sink.Warnings, w => w.Type == "blank-header" && w.Message.Contains("n° 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_two_row_header_prefixes_each_label_with_the_merged_group_label_above_it()
    {
        using var temp = new TempFolder();
        var schema = new TableSchema
        {
            Fields =
            [
                new SchemaField { Name = "raison_sociale", Constraints = new FieldConstraints { Required = true } },
                new SchemaField { Name = "adresse_rue" },
                new SchemaField { Name = "adresse_code_postal", Constraints = new FieldConstraints { Required = true } },
                new SchemaField { Name = "adresse_commune" },
                new SchemaField { Name = "effectif" },
            ],
        };
        var b = new XlsxBuilder();
        // A CRM report: "Raison sociale" spans both header rows, "Adresse" groups three columns.
        b.Sheet(
            "Export",
            Row(1, b.S("A1", "Raison sociale"), b.S("B1", "Adresse"), b.S("E1", "Effectif"))
            + Row(2, b.S("B2", "Rue"), b.S("C2", "Code postal"), b.S("D2", "Commune"))
            + Row(3, b.S("A3", "Alpha"), b.S("B3", "1 rue A"), b.S("C3", "31000"), b.S("D3", "Toulouse"), N("E3", "5")),
            merges: "A1:A2 B1:D1 E1:E2");
        var (rows, sink) = await SourceTestKit.ReadAllAsync(Source(temp, b, headerRows: 2, schema: schema));
        Assert.Equal(3L, rows.Single().Line);
        SourceTestKit.AssertRow(rows.Single().Values, "Alpha", "1 rue A", "31000", "Toulouse", "5");
        Assert.Empty(sink.Warnings);
    }

    [Fact]
    public async Task A_named_sheet_is_read_and_the_first_sheet_otherwise()
    {
        using var temp = new TempFolder();
        var b = new XlsxBuilder();
        b.Sheet("Notes", Row(1, b.S("A1", "Nom")) + Row(2, b.S("A2", "premier onglet")));
        b.Sheet("Acteurs 2026", Header(b) + Row(2, b.S("A2", "Alpha")));
        Assert.Equal("Alpha", (await SourceTestKit.ReadAllAsync(Source(temp, b, sheet: "Acteurs 2026"))).Rows.Single().Values[0]);
        Assert.Equal("premier onglet", (await SourceTestKit.ReadAllAsync(Source(temp, b))).Rows.Single().Values[0]);
    }

    [Theory]
    [InlineData("hidden")]
    [InlineData("veryHidden")]
    public async Task Without_a_name_a_hidden_sheet_or_a_chart_is_passed_over_for_the_first_visible_worksheet(string state)
    {
        using var temp = new TempFolder();
        var b = new XlsxBuilder();
        b.Sheet("Listes", Header(b) + Row(2, b.S("A2", "onglet masqué")), state: state);
        b.ChartSheet("Graphique");
        b.Sheet("Acteurs", Header(b) + Row(2, b.S("A2", "Alpha")));
        Assert.Equal("Alpha", (await SourceTestKit.ReadAllAsync(Source(temp, b))).Rows.Single().Values[0]);

        // Named, a hidden sheet is read (the pipeline asked for it); a chart sheet is a clear error.
        Assert.Equal("onglet masqué", (await SourceTestKit.ReadAllAsync(Source(temp, b, sheet: "Listes"))).Rows.Single().Values[0]);
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(temp, b, sheet: "Graphique")));
        Assert.Contains("sheet 'Graphique' (n° 2) is not a worksheet", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workbook_without_a_visible_worksheet_is_a_clear_error_listing_the_sheets()
    {
        using var temp = new TempFolder();
        var b = new XlsxBuilder();
        b.Sheet("Listes", Header(b) + Row(2, b.S("A2", "onglet masqué")), state: "hidden");
        b.ChartSheet("Graphique");
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(temp, b)));
        Assert.Contains("no visible worksheet; the workbook has 2 sheet(s) (names not shown: text of the workbook): n° 1 hidden worksheet, n° 2 not a worksheet (a chart, dialog or macro sheet). Name the one to read with source.sheet.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_title_above_the_header_is_a_clear_error_and_header_row_skips_it()
    {
        using var temp = new TempFolder();
        var b = new XlsxBuilder();
        b.Sheet("Acteurs",
            Row(1, b.S("A1", "Export CRM du 12/11/2026"))
            + Row(3, b.S("A3", "Raison sociale"), b.S("B3", "Effectif"), b.S("C3", "Code postal"), b.S("D3", "Adhérent"), b.S("E3", "Date adhésion"))
            + Row(4, b.S("A4", "Alpha"), N("B4", "12")));

        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(temp, b)));
        Assert.Contains("row 1 (header): none of its 1 cell(s) names a field of the schema, so this is not the header row", e.Message, StringComparison.Ordinal);
        Assert.Contains("source.header_row", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Export CRM", e.Message, StringComparison.Ordinal); // the row may be a record: its cells are never repeated

        var (rows, _) = await SourceTestKit.ReadAllAsync(Source(temp, b, headerRow: 3));
        Assert.Equal(4L, rows.Single().Line);
        Assert.Equal("Alpha|12", string.Join("|", rows.Single().Values[..2]));

        // A declared header row that is empty is named, with the first row that has cells.
        var empty = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(temp, b, headerRow: 2)));
        Assert.Contains("row 2 (source.header_row) is empty; the first row with cells below it is row 3", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_sheet_is_a_clear_error_listing_the_sheets()
    {
        using var temp = new TempFolder();
        var b = new XlsxBuilder();
        b.Sheet("Notes", Row(1, b.S("A1", "Nom")));
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(temp, b, sheet: "Acteurs")));
        Assert.Contains("book.xlsx: no sheet named 'Acteurs'; the workbook has 1 sheet(s) (names not shown: text of the workbook): n° 1 visible worksheet. Open the workbook", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Tab names a CRM export may carry: text of the private workbook, never in a message unless the definition wrote it.</summary>
    private static readonly string[] PrivateSheetNames = ["Contacts Ermengarde Vasquelin", "Graphique Philomène Trudaine", "Acteurs Barnabé Lestocq"];

    private static XlsxBuilder WorkbookWithPrivateSheetNames(Func<XlsxBuilder, string> rows)
    {
        var b = new XlsxBuilder();
        b.Sheet(PrivateSheetNames[0], Header(b) + Row(2, b.S("A2", "onglet masqué")), state: "hidden");
        b.ChartSheet(PrivateSheetNames[1]);
        b.Sheet(PrivateSheetNames[2], rows(b));
        return b;
    }

    private static void AssertNoPrivateSheetName(string text, params string[] allowed)
    {
        foreach (var name in PrivateSheetNames.Except(allowed))
        {
            Assert.DoesNotContain(name, text, StringComparison.Ordinal);
            Assert.DoesNotContain(name.Split(' ')[^1], text, StringComparison.Ordinal); // nor part of one
        }
    }

    [Fact]
    public async Task A_sheet_read_by_default_is_named_by_its_position_in_details_and_errors_never_by_its_tab()
    {
        using var temp = new TempFolder();
        var source = Source(temp, WorkbookWithPrivateSheetNames(b => Header(b) + Row(2, b.S("A2", "Alpha"))));
        Assert.Equal("Alpha", (await SourceTestKit.ReadAllAsync(source)).Rows.Single().Values[0]);
        Assert.Equal("sheet n° 3 (the first visible worksheet)", source.Details); // Details is logged

        // The errors of reading that sheet name it the same way.
        var noHeader = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(temp, WorkbookWithPrivateSheetNames(b => Row(1, b.S("B1", "Effectif")) + Row(2, N("B2", "1"))))));
        Assert.Contains("book.xlsx, sheet n° 3 (the first visible worksheet), row 1 (header): missing-label", noHeader.Message, StringComparison.Ordinal);
        AssertNoPrivateSheetName(noHeader.Message);

        var empty = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(temp, WorkbookWithPrivateSheetNames(_ => ""))));
        Assert.Contains("book.xlsx, sheet n° 3 (the first visible worksheet): the sheet is empty", empty.Message, StringComparison.Ordinal);
        AssertNoPrivateSheetName(empty.Message);

        var damaged = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(temp, WorkbookWithPrivateSheetNames(b => Header(b) + Row(2, "<c r=\"A2\" t=\"s\"><v>99</v></c>")))));
        Assert.Contains("book.xlsx, sheet n° 3 (the first visible worksheet), after row 1: a cell names a shared string that does not exist", damaged.Message, StringComparison.Ordinal);
        AssertNoPrivateSheetName(damaged.Message);

        var declaredRow = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(temp, WorkbookWithPrivateSheetNames(b => Row(3, b.S("A3", "Raison sociale"))), headerRow: 2)));
        Assert.Contains("book.xlsx, sheet n° 3 (the first visible worksheet): row 2 (source.header_row) is empty", declaredRow.Message, StringComparison.Ordinal);
        AssertNoPrivateSheetName(declaredRow.Message);
    }

    [Fact]
    public async Task A_missing_sheet_is_described_by_the_positions_and_kinds_of_the_sheets_never_by_their_tabs()
    {
        using var temp = new TempFolder();
        var book = WorkbookWithPrivateSheetNames(b => Header(b) + Row(2, b.S("A2", "Alpha")));
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(temp, book, sheet: "Acteurs")));
        Assert.EndsWith(
            "/book.xlsx: no sheet named 'Acteurs'; the workbook has 3 sheet(s) (names not shown: text of the workbook): n° 1 hidden worksheet, n° 2 not a worksheet (a chart, dialog or macro sheet), n° 3 visible worksheet. Open the workbook to find the sheet's name: source.sheet must match its tab exactly.",
            e.Message,
            StringComparison.Ordinal);
        AssertNoPrivateSheetName(e.Message);

        // A name that differs only in case or spaces is pointed at, by position.
        e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(temp, book, sheet: "acteurs  barnabe lestocq")));
        Assert.Contains("n° 3 visible worksheet; sheet n° 3 has nearly that name (it differs only in case, accents, spaces or punctuation). Open the workbook", e.Message, StringComparison.Ordinal);
        AssertNoPrivateSheetName(e.Message);

        // Named by the definition, a sheet is quoted (the definition's text), the others are not.
        e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(temp, book, sheet: PrivateSheetNames[1])));
        Assert.Contains("book.xlsx: sheet 'Graphique Philomène Trudaine' (n° 2) is not a worksheet (a chart, dialog or macro sheet): it holds no rows; the workbook has 3 sheet(s)", e.Message, StringComparison.Ordinal);
        AssertNoPrivateSheetName(e.Message, allowed: PrivateSheetNames[1]);

        var named = Source(temp, book, sheet: PrivateSheetNames[0]);
        Assert.Equal("onglet masqué", (await SourceTestKit.ReadAllAsync(named)).Rows.Single().Values[0]);
        Assert.Equal("sheet 'Contacts Ermengarde Vasquelin'", named.Details);
    }

    [Fact]
    public async Task Without_a_visible_worksheet_the_error_gives_positions_and_kinds_never_tabs()
    {
        using var temp = new TempFolder();
        var b = new XlsxBuilder();
        b.Sheet(PrivateSheetNames[0], Header(b), state: "veryHidden");
        b.ChartSheet(PrivateSheetNames[1]);
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(temp, b)));
        Assert.Contains("no visible worksheet; the workbook has 2 sheet(s) (names not shown: text of the workbook): n° 1 hidden worksheet, n° 2 not a worksheet", e.Message, StringComparison.Ordinal);
        AssertNoPrivateSheetName(e.Message);
    }

    [Fact]
    public async Task A_sheet_without_a_part_is_named_by_its_position()
    {
        using var temp = new TempFolder();
        var bytes = WorkbookWithPrivateSheetNames(b => Header(b)).Build();
        using var memory = new MemoryStream();
        memory.Write(bytes);
        using (var zip = new System.IO.Compression.ZipArchive(memory, System.IO.Compression.ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry("xl/_rels/workbook.xml.rels")!;
            string rels;
            using (var reader = new StreamReader(entry.Open()))
            {
                rels = reader.ReadToEnd();
            }

            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("xl/_rels/workbook.xml.rels").Open());
            writer.Write(System.Text.RegularExpressions.Regex.Replace(rels, "<Relationship Id=\"rId2\"[^>]*/>", "")); // the chart sheet's part is lost
        }

        var path = temp.Combine("damaged.xlsx");
        File.WriteAllBytes(path, memory.ToArray());
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(XlsxSource.FromFile(path, Schema, null, 1, 10)));
        Assert.Contains("damaged.xlsx: sheet n° 2 has no part in xl/_rels/workbook.xml.rels: the workbook is damaged.", e.Message, StringComparison.Ordinal);
        AssertNoPrivateSheetName(e.Message);
    }

    [Fact]
    public async Task A_cell_reference_that_is_none_is_counted_not_quoted()
    {
        using var temp = new TempFolder();
        var b = new XlsxBuilder();
        b.Sheet("Acteurs", Header(b) + Row(2, b.S("A2", "Alpha")) + Row(3, b.S("A3", "Beta"), "<c r=\"Marie Curie\"><v>1</v></c>"));
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(temp, b, sheet: "Acteurs")));
        Assert.Contains("sheet 'Acteurs', after row 2: the workbook's XML is damaged (row 3: the reference of its cell n° 2 is not a cell reference (such as C7))", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Marie Curie", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_cell_whose_code_is_no_excel_error_is_not_repeated()
    {
        using var temp = new TempFolder();
        var b = new XlsxBuilder();
        b.Sheet("Acteurs", Header(b) + Row(2, b.S("A2", "Alpha"), E("B2", "Jean Dupont")) + Row(3, b.S("A3", "Beta"), E("B3", "#DIV/0!")));
        var (_, sink) = await SourceTestKit.ReadAllAsync(Source(temp, b));
        Assert.Equal(["cellule B2 : erreur Excel d'un code inconnu (non reproduit)", "cellule B3 : erreur Excel #DIV/0!"], sink.Errors.Select(x => x.Message));
    }

    [Fact]
    public async Task A_date_serial_past_excel_dates_is_not_repeated()
    {
        using var temp = new TempFolder();
        var b = new XlsxBuilder();
        b.Sheet("Acteurs", Header(b) + Row(2, b.S("A2", "Alpha"), N("E2", "31415926")));
        var (_, sink) = await SourceTestKit.ReadAllAsync(Source(temp, b));
        Assert.Equal("cellule E2 : le nombre de jours est hors des dates Excel (1 à 2958465 : du 01/01/1900 au 31/12/9999)", Assert.Single(sink.Errors).Message);
        Assert.Null(XlsxCells.SerialToIso("31415926", date1904: true, withTime: false, out var error));
        Assert.Equal("le nombre de jours est hors des dates Excel (0 à 2957003 dans le calendrier 1904 : du 01/01/1904 au 31/12/9999)", error);
    }

    [Fact]
    public async Task A_corrupt_workbook_is_a_clear_error()
    {
        using var temp = new TempFolder();
        var bytes = new XlsxBuilder().Sheet("A", Row(1, I("A1", "Nom"))).Build();
        var path = temp.Combine("cut.xlsx");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]); // the central directory is lost
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(XlsxSource.FromFile(path, Schema, null, 1, 10)));
        Assert.Contains("cut.xlsx: not a readable Excel workbook (.xlsx)", e.Message, StringComparison.Ordinal);

        var csv = temp.File("renamed.xlsx", "nom,effectif\r\nAlpha,1\r\n");
        e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(XlsxSource.FromFile(csv, Schema, null, 1, 10)));
        Assert.Contains("not a readable Excel workbook", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cell_naming_a_shared_string_that_does_not_exist_is_a_located_error()
    {
        using var temp = new TempFolder();
        var b = new XlsxBuilder();
        b.Sheet("Acteurs", Row(1, b.S("A1", "Nom")) + Row(2, "<c r=\"A2\" t=\"s\"><v>99</v></c>"));
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(temp, b)));
        Assert.Contains("sheet n° 1 (the first visible worksheet), after row 1: a cell names a shared string that does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_required_column_names_the_sheet_and_header_row()
    {
        using var temp = new TempFolder();
        var b = new XlsxBuilder();
        b.Sheet("Acteurs", Row(3, b.S("B3", "Effectif")) + Row(4, N("B4", "1")));
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(temp, b)));
        Assert.Contains("sheet n° 1 (the first visible worksheet), row 3 (header): missing-label: required column 'raison_sociale'", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The demo's rows as a sheet's XML, as Excel would store them (numbers and dates as numbers).</summary>
    private static string DemoSheet(XlsxBuilder b)
    {
        var (header, data) = SourceTestKit.DemoRows();
        string Cell(int column, int row, string text)
        {
            var reference = XlsxCells.ColumnName(column) + row;
            var name = header[column];
            if (text.Length == 0)
            {
                return "";
            }

            if (name is "date_adhesion" or "date_maj")
            {
                var days = (DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture) - new DateTime(1899, 12, 30)).Days;
                return N(reference, SourceTestKit.Invariant($"{days}")); // dates as Excel stores them
            }

            return name is "effectif" or "chiffre_affaires_eur" ? N(reference, text) : b.S(reference, text);
        }

        return Row(1, [.. header.Select((h, c) => b.S(XlsxCells.ColumnName(c) + "1", h))])
            + string.Concat(data.Select((values, r) => Row(r + 2, [.. values.Select((v, c) => Cell(c, r + 2, v))])));
    }

    [Fact]
    public async Task The_demo_exported_to_excel_publishes_the_same_dataset_as_the_csv()
    {
        var expected = await SourceTestKit.PublishedFromCsvAsync();
        var b = new XlsxBuilder();
        var rows = DemoSheet(b);
        using var site = new EndToEnd.DemoSite();
        var workbook = site.Temp("acteurs.xlsx");
        File.WriteAllBytes(workbook, b.Sheet("Acteurs", rows).Build());
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", workbook, $"--Anonymisation:Key={new string('k', 40)}"));
        Assert.Equal(expected, File.ReadAllBytes(site.Path("datasets", "acteurs", "latest", "acteurs.csv")));
    }

    [Fact]
    public async Task The_run_logs_and_reports_a_sheet_read_by_default_by_its_position_never_by_its_tab()
    {
        // The built Worker, as CI runs it: its logs go to the console.
        using var temp = new TempFolder();
        var b = new XlsxBuilder();
        b.Sheet(PrivateSheetNames[0], Row(1, b.S("A1", "Nom")), state: "hidden");
        b.ChartSheet(PrivateSheetNames[1]);
        var workbook = temp.Combine("acteurs.xlsx");
        File.WriteAllBytes(workbook, b.Sheet(PrivateSheetNames[2], DemoSheet(b)).Build());
        foreach (var verb in new[] { "validate", "publish" })
        {
            string[] args = verb == "publish" ? ["publish", "--output", temp.Combine("site")] : ["validate"];
            var (code, stdout, stderr) = await EndToEnd.FailureTests.RunBuiltWorkerAsync(temp, args, ["--pipeline", "acteurs", "--source", workbook, $"--Anonymisation:Key={new string('k', 40)}"]);
            Assert.True(code == 0, stderr);
            Assert.Contains("acteurs: source read (sheet n° 3 (the first visible worksheet));", stdout, StringComparison.Ordinal);
            AssertNoPrivateSheetName(stdout + stderr);
        }

        var files = Directory.EnumerateFiles(temp.Path, "*", SearchOption.AllDirectories).Where(f => f != workbook).ToList();
        Assert.Contains(files, f => f.EndsWith("rapport.json", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("releases.json", StringComparison.Ordinal));
        Assert.All(files, f => AssertNoPrivateSheetName(File.ReadAllText(f)));

        // A run that fails on the workbook says why on standard error, by position too.
        File.WriteAllBytes(workbook, new XlsxBuilder().Sheet(PrivateSheetNames[0], "", state: "hidden").ChartSheet(PrivateSheetNames[1]).Build());
        var failed = await EndToEnd.FailureTests.RunBuiltWorkerAsync(temp, ["validate"], ["--pipeline", "acteurs", "--source", workbook]);
        Assert.Equal(1, failed.Code);
        Assert.Contains("no visible worksheet; the workbook has 2 sheet(s)", failed.Stderr, StringComparison.Ordinal);
        AssertNoPrivateSheetName(failed.Stdout + failed.Stderr);
    }
}
