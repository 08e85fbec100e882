using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Sources;

/// <summary>
/// Maps a header row to the declared source fields (<see cref="HeaderMatcher"/>) and reports its
/// problems in the Frictionless vocabulary, the same way for every tabular source: a missing
/// required column or a field named by two columns stops the run; other problems are warnings.
/// A column that names no field is named by its position ("colonne n° 30"), never by its header:
/// the header is text of the private source (a CRM export's custom column may be named after a
/// person) and these warnings reach the logs, <c>rapport.json</c>, <c>validate</c> and the public
/// summary.
/// </summary>
internal static class HeaderMapping
{
    /// <param name="where">Names the header in the exception ("file.csv, line 1 (header)").</param>
    /// <param name="line">The header's line (or row) number, for warnings.</param>
    /// <param name="columnName">A column's name in its file, from its index, added to its position (a workbook's "AD").</param>
    public static int[] Map(TableSchema schema, IReadOnlyList<string> headers, IRejectedRowSink sink, string where, long line, Func<int, string>? columnName = null)
    {
        string Position(int i) => columnName is null ? $"{i + 1}" : $"{i + 1} ({columnName(i)})";

        if (headers.Count == 0)
        {
            throw new PipelineException($"{where}: the source is empty: no header row, no data. Fields expected: {string.Join(", ", schema.Fields.Select(f => f.Name))}.");
        }

        var (columnOfField, unmatched, ambiguous) = HeaderMatcher.Match(schema, headers);
        if (schema.Fields.Count > 0 && columnOfField.All(c => c < 0))
        {
            // Not a header at all: a title row above it, the wrong sheet or file, a wrong delimiter.
            // The row's cells are not repeated: it may be a record, with personal data, and this
            // message goes to the console and CI logs.
            throw new PipelineException($"{where}: none of its {headers.Count} cell(s) names a field of the schema, so this is not the header row (a title above it? the wrong sheet, file or delimiter?); for a workbook, source.header_row gives the header's row number. Fields expected: {string.Join(", ", schema.Fields.Select(f => f.Name))}.");
        }

        var fatal = new List<string>();
        fatal.AddRange(ambiguous.Select(a => $"duplicate-label: several columns name one field ({a.Field} ← columns {string.Join(", ", a.Columns.Select(Position))})"));
        for (var f = 0; f < columnOfField.Length; f++)
        {
            if (columnOfField[f] >= 0)
            {
                continue;
            }

            var field = schema.Fields[f];
            if (field.Constraints.Required)
            {
                fatal.Add($"missing-label: required column '{field.Name}' is missing");
            }
            else
            {
                sink.Warn(new RowError(line, field.Name, "missing-label", "missing-label", $"colonne « {field.Name} » absente : le champ sera vide", IsWarning: true));
            }
        }

        if (fatal.Count > 0)
        {
            // The headers are not repeated (private text): the columns are named by the field they
            // name, or counted by position.
            var named = columnOfField.Select((c, f) => (Column: c, Field: schema.Fields[f].Name)).Where(x => x.Column >= 0).OrderBy(x => x.Column).ToList();
            var unknown = unmatched.Where(i => headers[i].Trim().Length > 0).ToList();
            throw new PipelineException($"{where}: {string.Join("; ", fatal)}. Columns read: {headers.Count}; "
                + (named.Count == 0 ? "none names a field" : $"fields found: {string.Join(", ", named.Select(x => $"{x.Field} (column {Position(x.Column)})"))}")
                + (unknown.Count == 0 ? "" : $"; columns naming no field: {string.Join(", ", unknown.Select(Position))}") + ".");
        }

        for (var i = 0; i < headers.Count; i++)
        {
            if (headers[i].Trim().Length == 0)
            {
                sink.Warn(new RowError(line, null, "blank-header", "blank-header", $"la colonne n° {i + 1} n'a pas de nom : elle est ignorée", IsWarning: true));
            }
        }

        var unknownColumns = unmatched.Where(i => headers[i].Trim().Length > 0).ToList();
        foreach (var group in unknownColumns.GroupBy(i => HeaderMatcher.Key(headers[i])).Where(g => g.Count() > 1))
        {
            sink.Warn(new RowError(line, null, "duplicate-label", "duplicate-label", $"les colonnes n° {string.Join(", ", group.Select(Position))}, inconnues du pipeline, portent le même nom : elles sont ignorées", IsWarning: true));
        }

        foreach (var i in unknownColumns)
        {
            sink.Warn(new RowError(line, $"colonne n° {i + 1}", "extra-label", "extra-label", $"la colonne n° {Position(i)} ne correspond à aucun champ du pipeline : elle est ignorée", IsWarning: true));
        }

        return columnOfField;
    }
}
