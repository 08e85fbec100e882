using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Sources;

/// <summary>
/// Maps a header row to the declared source fields (<see cref="HeaderMatcher"/>) and reports its
/// problems in the Frictionless vocabulary, the same way for every tabular source: a missing
/// required column or a field named by two columns stops the run; other problems are warnings.
/// </summary>
internal static class HeaderMapping
{
    /// <param name="where">Names the header in the exception ("file.csv, line 1 (header)").</param>
    /// <param name="line">The header's line (or row) number, for warnings.</param>
    public static int[] Map(TableSchema schema, IReadOnlyList<string> headers, IRejectedRowSink sink, string where, long line)
    {
        var (columnOfField, unmatched, ambiguous) = HeaderMatcher.Match(schema, headers);
        if (schema.Fields.Count > 0 && columnOfField.All(c => c < 0))
        {
            // Not a header at all: a title row above it, the wrong sheet or file, a wrong delimiter.
            // The row's cells are not repeated: it may be a record, with personal data, and this
            // message goes to the console and CI logs.
            throw new PipelineException($"{where}: none of its {headers.Count} cell(s) names a field of the schema, so this is not the header row (a title above it? the wrong sheet, file or delimiter?); for a workbook, source.header_row gives the header's row number. Fields expected: {string.Join(", ", schema.Fields.Select(f => f.Name))}.");
        }

        var fatal = new List<string>();
        fatal.AddRange(ambiguous.Select(a => $"duplicate-label: several columns name one field ({a})"));
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
            throw new PipelineException($"{where}: {string.Join("; ", fatal)}. Columns read: {string.Join(", ", headers.Select(h => $"\"{h}\""))}.");
        }

        for (var i = 0; i < headers.Count; i++)
        {
            if (headers[i].Trim().Length == 0)
            {
                sink.Warn(new RowError(line, null, "blank-header", "blank-header", $"la colonne n° {i + 1} n'a pas de nom : elle est ignorée", IsWarning: true));
            }
        }

        foreach (var group in unmatched.Where(h => h.Trim().Length > 0).GroupBy(HeaderMatcher.Key).Where(g => g.Count() > 1))
        {
            sink.Warn(new RowError(line, null, "duplicate-label", "duplicate-label", $"{group.Count()} colonnes inconnues portent le même nom : elles sont ignorées", IsWarning: true));
        }

        foreach (var header in unmatched.Where(h => h.Trim().Length > 0).Distinct())
        {
            sink.Warn(new RowError(line, header, "extra-label", "extra-label", $"colonne « {header} » inconnue du pipeline : elle est ignorée", IsWarning: true));
        }

        return columnOfField;
    }
}
