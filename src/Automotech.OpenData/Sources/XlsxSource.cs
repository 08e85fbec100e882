using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Xml;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Sources;

/// <summary>
/// Streams one sheet of an Excel workbook (.xlsx) as <see cref="ColumnBatch"/>es: the sheet's
/// XML is read row by row from the zip, so memory holds one batch and the shared strings. The
/// first non-empty row is the header (with <c>header_rows: 2</c>, it and the row below); cells
/// land in their column by their reference, so sparse rows stay aligned; empty rows are skipped;
/// the line of a row is its Excel row number. Values become canonical text: numbers without
/// exponent, booleans true/false, date serials ISO dates for fields of type date (both date
/// systems), text (numbers stored as text included) as is.
/// </summary>
public sealed class XlsxSource : IRecordSource
{
    private readonly Func<Stream> open;
    private readonly string description;
    private readonly long knownSize;
    private readonly TableSchema schema;
    private readonly string? sheet;
    private readonly int headerRows;
    private readonly int? headerRow;
    private readonly int batchSize;
    private readonly SourceLimits limits;

    /// <param name="open">Gives a seekable stream of the workbook (a file, a blob).</param>
    /// <param name="description">Names the workbook in messages; never a secret.</param>
    /// <param name="sheet">The sheet's name; the first sheet when null.</param>
    /// <param name="headerRows">1, or 2 for a two-row header.</param>
    /// <param name="headerRow">The header's Excel row number (rows above it are skipped); the first non-empty row when null.</param>
    public XlsxSource(Func<Stream> open, string description, long sizeBytes, TableSchema schema, string? sheet, int headerRows, int batchSize, SourceLimits? limits = null, int? headerRow = null)
    {
        this.headerRow = headerRow is null or > 0 ? headerRow : throw new PipelineException($"source.header_row is an Excel row number (1 or more), not {headerRow}.");
        this.open = open;
        this.description = description;
        knownSize = sizeBytes;
        this.schema = schema;
        this.sheet = sheet;
        this.headerRows = headerRows is 1 or 2 ? headerRows : throw new PipelineException($"source.header_rows must be 1 or 2, not {headerRows}.");
        this.batchSize = batchSize;
        this.limits = limits ?? new SourceLimits();
    }

    public string Description => description;

    public string Details => $"{Sheet}{(Date1904 ? ", 1904 date system" : "")}";

    public long SizeBytes => knownSize;

    public long RowsRead { get; private set; }

    public double Fraction { get; private set; }

    /// <summary>
    /// The sheet read, as messages and logs name it, known once reading starts: by its name when
    /// the definition gave it (<c>source.sheet</c>, the definition's text), else by its position
    /// ("sheet n° 2 (the first visible worksheet)"). A tab's name is text of the private workbook
    /// (a sheet may be named after a person) and never reaches a message, a log or a report
    /// unless the definition wrote it.
    /// </summary>
    public string Sheet { get; private set; } = "";

    public bool Date1904 { get; private set; }

    public static XlsxSource FromFile(string path, TableSchema schema, string? sheet, int headerRows, int batchSize, SourceLimits? limits = null, int? headerRow = null)
    {
        SourceFile.RequireRegular(path, "source file");
        if (!File.Exists(path))
        {
            throw new PipelineException($"{path}: source file not found.");
        }

        return new XlsxSource(() => File.OpenRead(path), path, new FileInfo(path).Length, schema, sheet, headerRows, batchSize, limits, headerRow);
    }

    public async IAsyncEnumerable<ColumnBatch> ReadAsync(IRejectedRowSink sink, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (knownSize > limits.MaxFileBytes)
        {
            throw new PipelineException($"{description}: the file is {knownSize} bytes, above source.limits.max_file_bytes ({limits.MaxFileBytes}).");
        }

        var stream = open();
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException e)
        {
            await stream.DisposeAsync();
            throw new PipelineException($"{description}: not a readable Excel workbook (.xlsx): the zip archive is damaged ({e.Message}).", e);
        }

        using var archive = zip;
        var (package, part, shared, merges) = Guard(() => OpenSheet(zip));
        using var reader = Guard(() => package.OpenXml(part));
        var rows = new SheetRows(reader, shared);
        var batch = new ColumnBatch(schema.FieldNames, batchSize);
        Header? header = null;
        long? pendingTop = null;
        List<SheetRows.Cell>? top = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Guard(rows.Next, rows))
            {
                break;
            }

            if (header is null && pendingTop is null && headerRow is { } first && rows.Row < first)
            {
                continue; // above the declared header: a title, notes
            }

            if (!rows.Cells.Exists(c => c.Text.Trim().Length > 0))
            {
                continue; // an empty row, as a blank line of a CSV file
            }

            if (header is null && pendingTop is null && headerRow is { } declared && rows.Row > declared)
            {
                throw new PipelineException($"{description}, {Sheet}: row {declared} (source.header_row) is empty; the first row with cells below it is row {rows.Row}.");
            }

            if (header is null)
            {
                if (headerRows == 2 && pendingTop is null)
                {
                    pendingTop = rows.Row;
                    top = [.. rows.Cells];
                    continue;
                }

                var secondRow = headerRows == 2 && rows.Row == pendingTop + 1;
                header = headerRows == 1
                    ? MakeHeader(rows.Row, rows.Width, rows.Cells, null, merges, sink)
                    : MakeHeader(pendingTop!.Value, rows.Width, top!, secondRow ? rows.Cells : [], merges, sink);
                if (headerRows == 1 || secondRow)
                {
                    continue;
                }
            }

            if (++RowsRead > limits.MaxRows)
            {
                throw new PipelineException($"{description}: more than source.limits.max_rows ({limits.MaxRows}) rows. Nothing is published.");
            }

            if (ReadRow(rows, header, sink) is { } values)
            {
                var row = batch.AddRow(rows.Row);
                for (var f = 0; f < values.Length; f++)
                {
                    batch.Set(row, f, values[f]);
                }
            }

            if (batch.IsFull)
            {
                Fraction = rows.LastRow > 0 ? Math.Min(1, (double)rows.Row / rows.LastRow) : 0;
                yield return batch;
                batch.Clear();
            }
        }

        if (header is null && pendingTop is null)
        {
            throw new PipelineException($"{description}, {Sheet}: the sheet is empty (no header row).");
        }

        if (header is null)
        {
            _ = MakeHeader(pendingTop!.Value, rows.Width, top!, [], merges, sink); // a header and nothing else: checked all the same
        }

        Fraction = 1;
        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private (XlsxPackage Package, string Part, List<string> Shared, List<(int, int, int, int)> Merges) OpenSheet(ZipArchive zip)
    {
        var package = XlsxPackage.Open(zip, description);
        Date1904 = package.Date1904;
        // Without a name, the first sheet a person opening the workbook sees: a hidden sheet
        // (lists, notes, private working) or a chart is never read unless named.
        var sheets = package.Sheets;
        var index = sheet is null
            ? sheets.FindIndex(s => s.Visible && s.Worksheet)
            : sheets.FindIndex(s => string.Equals(s.Name, sheet, StringComparison.Ordinal));
        if (index < 0)
        {
            throw new PipelineException(sheet is null
                ? $"{description}: no visible worksheet; {Census(sheets)}. Name the one to read with source.sheet."
                : $"{description}: no sheet named '{sheet}'; {Census(sheets)}{NearlyNamed(sheets, sheet)}. Open the workbook to find the sheet's name: source.sheet must match its tab exactly.");
        }

        var chosen = sheets[index];
        Sheet = sheet is null ? $"sheet n° {index + 1} (the first visible worksheet)" : $"sheet '{sheet}'";
        if (!chosen.Worksheet)
        {
            throw new PipelineException($"{description}: {Sheet} (n° {index + 1}) is not a worksheet (a chart, dialog or macro sheet): it holds no rows; {Census(sheets)}.");
        }

        var shared = package.ReadSharedStrings(limits.MaxFileBytes);
        var merges = headerRows == 2 ? package.ReadMerges(chosen.Part) : [];
        return (package, chosen.Part, shared, merges);
    }

    /// <summary>
    /// The workbook's sheets by position and kind, for an operator to find the one meant: their
    /// names are the workbook's text and are not repeated (they may name a person).
    /// </summary>
    private static string Census(List<XlsxSheet> sheets) =>
        $"the workbook has {sheets.Count} sheet(s) (names not shown: text of the workbook): "
        + string.Join(", ", sheets.Select((s, i) => $"n° {i + 1} " + (s.Worksheet, s.Visible) switch
        {
            (true, true) => "visible worksheet",
            (true, false) => "hidden worksheet",
            (false, true) => "not a worksheet (a chart, dialog or macro sheet)",
            (false, false) => "hidden, not a worksheet (a chart, dialog or macro sheet)",
        }));

    /// <summary>The sheets whose names differ from the one asked only in case, accents, spaces or punctuation, by position.</summary>
    private static string NearlyNamed(List<XlsxSheet> sheets, string asked)
    {
        var key = HeaderMatcher.Key(asked);
        var near = sheets.Select((s, i) => (s, i)).Where(x => key.Length > 0 && HeaderMatcher.Key(x.s.Name) == key).Select(x => $"n° {x.i + 1}").ToList();
        return near.Count switch
        {
            0 => "",
            1 => $"; sheet {near[0]} has nearly that name (it differs only in case, accents, spaces or punctuation)",
            _ => $"; sheets {string.Join(", ", near)} have nearly that name (they differ only in case, accents, spaces or punctuation)",
        };
    }

    /// <summary>Turns XML and zip failures into a located error.</summary>
    private T Guard<T>(Func<T> read, SheetRows? rows = null)
    {
        var where = rows is null ? description : $"{description}, {Sheet}, after row {rows.Row}";
        try
        {
            return read();
        }
        catch (XmlException e)
        {
            // The XML reader's own errors (those with a line) quote a token of the part, which may
            // be a cell's text (an unescaped '&' makes the rest of a name an entity: "Reference to
            // undeclared entity 'Dupont'"), and this message reaches standard error and the
            // scheduled host's log: they are located, not quoted. Ours (no line) say what is wrong.
            var reason = e.LineNumber > 0
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"line {e.LineNumber}, position {e.LinePosition}")
                : e.Message;
            throw new PipelineException($"{where}: the workbook's XML is damaged ({reason}). Nothing is published.", e);
        }
        catch (InvalidDataException e)
        {
            throw new PipelineException($"{where}: the zip archive is damaged ({e.Message}). Nothing is published.", e);
        }
        catch (Exception e) when (rows is not null && e is ArgumentOutOfRangeException or FormatException or OverflowException)
        {
            throw new PipelineException($"{where}: a cell names a shared string that does not exist: the workbook is damaged.", e);
        }
    }

    private Header MakeHeader(long row, int usedWidth, List<SheetRows.Cell> topCells, List<SheetRows.Cell>? subCells, List<(int Row1, int Col1, int Row2, int Col2)> merges, IRejectedRowSink sink)
    {
        // Columns up to the sheet's used range count, named or not, as when Excel saves the sheet
        // as CSV: a column under a merged label, or without a label, is ignored (blank-header).
        var width = topCells.Concat(subCells ?? []).Where(c => c.Text.Trim().Length > 0).Select(c => c.Column + 1).Append(usedWidth).Max();
        var top = new string[width];
        Array.Fill(top, "");
        foreach (var cell in topCells.Where(c => c.Column < width))
        {
            top[cell.Column] = Text(cell).Trim();
        }

        var labels = top;
        if (subCells is not null)
        {
            // A group label merged across columns prefixes each label below it ("Adresse" over
            // "Code postal" → "Adresse Code postal"); a label merged down both rows stands alone.
            foreach (var (row1, col1, _, col2) in merges.Where(m => m.Row1 == row && m.Col2 > m.Col1))
            {
                for (var c = col1 + 1; c <= col2 && c < width; c++)
                {
                    top[c] = top[col1];
                }
            }

            labels = new string[width];
            for (var c = 0; c < width; c++)
            {
                var sub = subCells.Find(s => s.Column == c) is { Text: not null } s ? Text(s).Trim() : "";
                labels[c] = string.Join(" ", new[] { top[c], sub }.Where(t => t.Length > 0));
            }
        }

        var where = $"{description}, {Sheet}, row {row} (header)";
        return new Header(HeaderMapping.Map(schema, labels, sink, where, row, XlsxCells.ColumnName), width);
    }

    /// <summary>The row's values by field, or null when it was rejected.</summary>
    private string?[]? ReadRow(SheetRows rows, Header header, IRejectedRowSink sink)
    {
        var cells = new SheetRows.Cell?[header.Width];
        var errors = new List<RowError>();
        foreach (var cell in rows.Cells)
        {
            if (cell.Column < header.Width)
            {
                cells[cell.Column] = cell;
            }
            else if (cell.Text.Trim().Length > 0 && errors.Count == 0)
            {
                errors.Add(new RowError(rows.Row, null, "extra-cell", "extra-cell", $"la cellule {XlsxCells.ColumnName(cell.Column)}{rows.Row} a une valeur mais sa colonne n'a pas d'en-tête"));
            }
        }

        var values = new string?[schema.Fields.Count];
        for (var f = 0; f < values.Length; f++)
        {
            var column = header.ColumnOfField[f];
            if (column < 0 || cells[column] is not { } cell)
            {
                continue;
            }

            var field = schema.Fields[f];
            string? error = null;
            values[f] = cell.Kind switch
            {
                'E' => Fail(out error, ExcelErrors.Contains(cell.Text) ? $"erreur Excel {cell.Text}" : "erreur Excel d'un code inconnu (non reproduit)"),
                'N' when field.Type is "date" or "datetime" => XlsxCells.SerialToIso(cell.Text, Date1904, field.Type == "datetime", out error),
                'D' when field.Type == "date" && cell.Text.Length >= 10 => cell.Text[..10],
                _ => Text(cell),
            };
            if (error is not null)
            {
                errors.Add(new RowError(rows.Row, field.Name, "type-error", "type-error", $"cellule {XlsxCells.ColumnName(column)}{rows.Row} : {error}"));
            }
        }

        if (errors.Count == 0)
        {
            return values;
        }

        sink.Reject(new RejectedRow(rows.Row, errors, values));
        return null;
    }

    /// <summary>
    /// The codes an error cell holds in a sound workbook: the only text of such a cell a message
    /// repeats (anything else in one, from a damaged or hand-made file, is the workbook's text).
    /// </summary>
    private static readonly HashSet<string> ExcelErrors = new(StringComparer.Ordinal)
    {
        "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
        "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#EXTERNAL!", "#PYTHON!",
    };

    private static string? Fail(out string? error, string message)
    {
        error = message;
        return null;
    }

    /// <summary>A cell's canonical text, whatever the field's type.</summary>
    private static string Text(SheetRows.Cell cell) => cell.Kind switch
    {
        'N' => XlsxCells.CanonicalNumber(cell.Text),
        'B' => cell.Text is "1" or "true" ? "true" : "false",
        _ => cell.Text,
    };

    private sealed record Header(int[] ColumnOfField, int Width);
}
