using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace Automotech.OpenData.Tests.Sources;

/// <summary>
/// Writes small .xlsx workbooks part by part (ECMA-376: workbook, relationships, shared strings,
/// worksheets), so each test states exactly the XML a reader meets.
/// </summary>
internal sealed class XlsxBuilder
{
    private readonly List<(string Name, string Xml, string? State, bool Chart)> sheets = [];
    private readonly List<string> shared = [];

    public bool Date1904 { get; init; }

    /// <summary>A shared string cell.</summary>
    public string S(string reference, string text)
    {
        var index = shared.IndexOf(text);
        if (index < 0)
        {
            shared.Add(text);
            index = shared.Count - 1;
        }

        return $"<c r=\"{reference}\" t=\"s\"><v>{index}</v></c>";
    }

    /// <summary>An inline string cell, as some exporters write.</summary>
    public static string I(string reference, string text) => $"<c r=\"{reference}\" t=\"inlineStr\"><is><t>{SecurityElement.Escape(text)}</t></is></c>";

    /// <summary>A number cell, <paramref name="value"/> as Excel stores it.</summary>
    public static string N(string reference, string value) => $"<c r=\"{reference}\"><v>{value}</v></c>";

    public static string B(string reference, bool value) => $"<c r=\"{reference}\" t=\"b\"><v>{(value ? 1 : 0)}</v></c>";

    public static string E(string reference, string error) => $"<c r=\"{reference}\" t=\"e\"><v>{error}</v></c>";

    public static string Row(int number, params string[] cells) => $"<row r=\"{number}\">{string.Concat(cells)}</row>";

    /// <param name="dimension">The used range Excel records ("A1:C2"), or none.</param>
    /// <param name="state">The tab's state ("hidden", "veryHidden"), or none (shown).</param>
    public XlsxBuilder Sheet(string name, string rows, string? merges = null, string? dimension = null, string? state = null)
    {
        var dimensionXml = dimension is null ? "" : $"<dimension ref=\"{dimension}\"/>";
        var mergeXml = merges is null ? "" : $"<mergeCells>{string.Concat(merges.Split(' ').Select(m => $"<mergeCell ref=\"{m}\"/>"))}</mergeCells>";
        sheets.Add((name, $"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">{dimensionXml}<sheetData>{rows}</sheetData>{mergeXml}</worksheet>", state, false));
        return this;
    }

    /// <summary>A chart sheet: a tab with a chart and no cells.</summary>
    public XlsxBuilder ChartSheet(string name)
    {
        sheets.Add((name, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<chartsheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"/>", null, true));
        return this;
    }

    public byte[] Build()
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
            const string Rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
            Add(zip, "[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/></Types>");
            Add(zip, "_rels/.rels", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{Rel}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
            var book = new StringBuilder($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{Main}\" xmlns:r=\"{Rel}\"><workbookPr{(Date1904 ? " date1904=\"1\"" : "")}/><sheets>");
            var rels = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
            for (var i = 0; i < sheets.Count; i++)
            {
                var state = sheets[i].State is { } s ? $" state=\"{s}\"" : "";
                var (kind, folder) = sheets[i].Chart ? ("chartsheet", "chartsheets") : ("worksheet", "worksheets");
                book.Append(CultureInfo.InvariantCulture, $"<sheet name=\"{SecurityElement.Escape(sheets[i].Name)}\" sheetId=\"{i + 1}\"{state} r:id=\"rId{i + 1}\"/>");
                rels.Append(CultureInfo.InvariantCulture, $"<Relationship Id=\"rId{i + 1}\" Type=\"{Rel}/{kind}\" Target=\"{folder}/sheet{i + 1}.xml\"/>");
                Add(zip, $"xl/{folder}/sheet{i + 1}.xml", sheets[i].Xml);
            }

            rels.Append(CultureInfo.InvariantCulture, $"<Relationship Id=\"rId{sheets.Count + 1}\" Type=\"{Rel}/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>");
            Add(zip, "xl/workbook.xml", book.Append("</sheets></workbook>").ToString());
            Add(zip, "xl/_rels/workbook.xml.rels", rels.ToString());
            Add(zip, "xl/sharedStrings.xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"{Main}\" count=\"{shared.Count}\" uniqueCount=\"{shared.Count}\">{string.Concat(shared.Select(s => $"<si><t xml:space=\"preserve\">{SecurityElement.Escape(s)}</t></si>"))}</sst>");
        }

        return memory.ToArray();
    }

    public string Save(TempFolder temp, string name)
    {
        var path = temp.Combine(name);
        File.WriteAllBytes(path, Build());
        return path;
    }

    private static void Add(ZipArchive zip, string name, string content)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(Encoding.UTF8.GetBytes(content));
    }
}
