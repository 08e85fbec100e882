using System.IO.Compression;
using System.Xml;

namespace Automotech.OpenData.Sources;

/// <summary>
/// The parts of an .xlsx workbook (a zip of XML parts, ECMA-376) that reading one sheet needs:
/// the sheet list and date system from <c>xl/workbook.xml</c>, where each sheet's part is from
/// its relationships, and the shared string table. Parts are read with <see cref="XmlReader"/>,
/// never loaded as documents; only the shared strings are held, as the format requires.
/// </summary>
internal sealed class XlsxPackage
{
    private const string WorkbookPart = "xl/workbook.xml";
    private const string WorkbookRels = "xl/_rels/workbook.xml.rels";

    private readonly ZipArchive zip;
    private readonly string description;

    private XlsxPackage(ZipArchive zip, string description)
    {
        this.zip = zip;
        this.description = description;
    }

    /// <summary>
    /// The sheets in workbook order: name, part path, whether Excel shows its tab (<c>state</c>
    /// neither <c>hidden</c> nor <c>veryHidden</c>), and whether it is a worksheet (not a chart,
    /// dialog or macro sheet).
    /// </summary>
    public List<XlsxSheet> Sheets { get; } = [];

    /// <summary>True when the workbook counts dates from 1904-01-01 (old Mac Excel).</summary>
    public bool Date1904 { get; private set; }

    public string? SharedStringsPart { get; private set; }

    public static XmlReaderSettings XmlSettings { get; } = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = false,
        CloseInput = true,
    };

    public static XlsxPackage Open(ZipArchive zip, string description)
    {
        var package = new XlsxPackage(zip, description);
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        var worksheets = new HashSet<string>(StringComparer.Ordinal);
        using (var rels = package.OpenXml(WorkbookRels))
        {
            while (rels.Read())
            {
                if (rels.NodeType == XmlNodeType.Element && rels.LocalName == "Relationship" && rels.GetAttribute("Id") is { } id && rels.GetAttribute("Target") is { } target)
                {
                    var part = target.StartsWith('/') ? target[1..] : "xl/" + target;
                    targets[id] = part;
                    if ((rels.GetAttribute("Type") ?? "").EndsWith("/worksheet", StringComparison.Ordinal))
                    {
                        worksheets.Add(id);
                    }

                    if ((rels.GetAttribute("Type") ?? "").EndsWith("/sharedStrings", StringComparison.Ordinal))
                    {
                        package.SharedStringsPart = part;
                    }
                }
            }
        }

        using var book = package.OpenXml(WorkbookPart);
        while (book.Read())
        {
            if (book.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (book.LocalName == "workbookPr")
            {
                package.Date1904 = book.GetAttribute("date1904") is "1" or "true";
            }
            else if (book.LocalName == "sheet")
            {
                var name = book.GetAttribute("name") ?? "";
                var visible = book.GetAttribute("state") is null or "visible";
                var id = RelationshipId(book);
                if (id is null || !targets.TryGetValue(id, out var part))
                {
                    // The sheet by its position: its name is the workbook's text (it may name a person).
                    throw new PipelineException($"{description}: sheet n° {package.Sheets.Count + 1} has no part in {WorkbookRels}: the workbook is damaged.");
                }

                package.Sheets.Add(new XlsxSheet(name, part, visible, worksheets.Contains(id)));
            }
        }

        return package.Sheets.Count > 0 ? package : throw new PipelineException($"{description}: the workbook has no sheet.");
    }

    public XmlReader OpenXml(string part)
    {
        var entry = Find(part) ?? throw new PipelineException($"{description}: part {part} is missing: not an Excel workbook (.xlsx), or a damaged one.");
        return XmlReader.Create(entry.Open(), XmlSettings);
    }

    public ZipArchiveEntry? Find(string part) =>
        zip.GetEntry(part) ?? zip.Entries.FirstOrDefault(e => string.Equals(e.FullName, part, StringComparison.OrdinalIgnoreCase));

    /// <summary>The shared string table (each <c>si</c>: its text, rich-text runs joined, phonetic runs left out).</summary>
    public List<string> ReadSharedStrings(long maxBytes)
    {
        var strings = new List<string>();
        if (SharedStringsPart is null || Find(SharedStringsPart) is not { } entry)
        {
            return strings;
        }

        if (entry.Length > maxBytes)
        {
            throw new PipelineException($"{description}: the shared strings part holds {entry.Length} bytes, above source.limits.max_file_bytes ({maxBytes}).");
        }

        using var reader = XmlReader.Create(entry.Open(), XmlSettings);
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "si")
            {
                strings.Add(ReadText(reader));
            }
        }

        return strings;
    }

    /// <summary>The text of an <c>si</c> or <c>is</c> element (the reader is on it; it is left on its end).</summary>
    public static string ReadText(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            return "";
        }

        var depth = reader.Depth;
        var text = new System.Text.StringBuilder();
        reader.Read();
        while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "t")
            {
                text.Append(reader.ReadElementContentAsString());
                continue;
            }

            if (reader.NodeType == XmlNodeType.Element && reader.LocalName is "rPh" or "phoneticPr")
            {
                reader.Skip();
                continue;
            }

            if (!reader.Read())
            {
                throw new XmlException("unexpected end of the part");
            }
        }

        return text.ToString();
    }

    /// <summary>The merged ranges of a sheet (they follow the cell data in the part, so this reads it through).</summary>
    public List<(int Row1, int Col1, int Row2, int Col2)> ReadMerges(string part)
    {
        var merges = new List<(int, int, int, int)>();
        using var reader = OpenXml(part);
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "mergeCell" && reader.GetAttribute("ref") is { } range)
            {
                var colon = range.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && XlsxCells.TryParseReference(range.AsSpan(0, colon), out var r1, out var c1) && XlsxCells.TryParseReference(range.AsSpan(colon + 1), out var r2, out var c2))
                {
                    merges.Add((r1, c1, r2, c2));
                }
            }
        }

        return merges;
    }

    private static string? RelationshipId(XmlReader reader)
    {
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                if (reader.LocalName == "id" && reader.NamespaceURI.Length > 0)
                {
                    var id = reader.Value;
                    reader.MoveToElement();
                    return id;
                }
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }

        return null;
    }
}

/// <summary>
/// A sheet of a workbook: its tab's name, its part, whether its tab shows, whether it holds cells.
/// The name is the workbook's private text: messages name a sheet by its position unless the
/// definition (<c>source.sheet</c>) wrote its name.
/// </summary>
public sealed record XlsxSheet(string Name, string Part, bool Visible, bool Worksheet);
