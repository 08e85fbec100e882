using System.Globalization;
using System.Xml;

namespace Automotech.OpenData.Sources;

/// <summary>
/// Reads a worksheet part row by row (<c>sheetData/row/c</c>); each row's cells keep their
/// column from their reference (<c>r="C7"</c>), or follow the previous cell when it is absent.
/// </summary>
internal sealed class SheetRows(XmlReader reader, List<string> sharedStrings)
{
    /// <summary>One cell with a value. Kind: S text, N number, B boolean, E error, D ISO date.</summary>
    public readonly record struct Cell(int Column, char Kind, string Text);

    /// <summary>The current row's Excel number.</summary>
    public long Row { get; private set; }

    /// <summary>The last row the sheet's dimension announces (0 when unknown), for progress.</summary>
    public long LastRow { get; private set; }

    /// <summary>The number of columns the sheet's dimension announces (0 when unknown).</summary>
    public int Width { get; private set; }

    public List<Cell> Cells { get; } = [];

    /// <summary>Moves to the next row; false at the end of the sheet's data.</summary>
    public bool Next()
    {
        Cells.Clear();
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "sheetData")
            {
                return false;
            }

            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (reader.LocalName == "dimension" && reader.GetAttribute("ref") is { } range)
            {
                var last = range[(range.IndexOf(':', StringComparison.Ordinal) + 1)..];
                (LastRow, Width) = XlsxCells.TryParseReference(last, out var lastRow, out var lastColumn) ? (lastRow, lastColumn + 1) : (0, 0);
            }
            else if (reader.LocalName == "row")
            {
                Row = long.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r >= 1 ? r : Row + 1;
                if (!reader.IsEmptyElement)
                {
                    ReadCells();
                }

                return true;
            }
        }

        return false;
    }

    private void ReadCells()
    {
        var depth = reader.Depth;
        var column = -1;
        var count = 0;
        Advance();
        while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "c")
            {
                count++;
                var reference = reader.GetAttribute("r");
                column = reference is null ? column + 1 : XlsxCells.ColumnOf(reference);
                if (column < 0)
                {
                    // Counted, not quoted: whatever stands in a damaged attribute is the workbook's text.
                    throw new XmlException($"row {Row}: the reference of its cell n° {count} is not a cell reference (such as C7)");
                }

                if (ReadCell(reader.GetAttribute("t")) is { } cell)
                {
                    Cells.Add(cell with { Column = column });
                }
            }

            Advance();
        }
    }

    /// <summary>The cell's value (the reader is on <c>c</c> and is left on its end); null when it has none.</summary>
    private Cell? ReadCell(string? type)
    {
        if (reader.IsEmptyElement)
        {
            return null;
        }

        var depth = reader.Depth;
        string? value = null;
        Advance();
        while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "v")
            {
                value = reader.ReadElementContentAsString();
                continue;
            }

            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "is")
            {
                value = XlsxPackage.ReadText(reader);
            }
            else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "f")
            {
                reader.Skip(); // the formula; its cached result is in <v>
                continue;
            }

            Advance();
        }

        if (value is null)
        {
            return null;
        }

        return type switch
        {
            "s" => new Cell(0, 'S', sharedStrings[int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture)]),
            "inlineStr" or "str" => new Cell(0, 'S', value),
            "b" => new Cell(0, 'B', value.Trim()),
            "e" => new Cell(0, 'E', value),
            "d" => new Cell(0, 'D', value.Trim()),
            _ => new Cell(0, 'N', value.Trim()),
        };
    }

    private void Advance()
    {
        if (!reader.Read())
        {
            throw new XmlException($"the sheet ends inside row {Row}");
        }
    }
}
