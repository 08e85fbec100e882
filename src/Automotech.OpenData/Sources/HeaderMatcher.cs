using System.Globalization;
using System.Text;

namespace Automotech.OpenData.Sources;

/// <summary>
/// Maps the header of a source file to the declared source fields, by name or alias, ignoring
/// case, accents, spaces and punctuation: "Raison sociale", "RAISON_SOCIALE" and
/// "raison-sociale" all name <c>raison_sociale</c>.
/// </summary>
public static class HeaderMatcher
{
    public static string Key(string header)
    {
        var decomposed = header.Normalize(NormalizationForm.FormD);
        var key = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                key.Append(char.ToLowerInvariant(c));
            }
        }

        return key.ToString();
    }

    /// <summary>
    /// For each declared field, the index of its column in <paramref name="headers"/>, or -1 when
    /// absent; the indexes of the columns that matched no field; and each field named by several
    /// columns, with their indexes.
    /// </summary>
    public static (int[] ColumnOfField, List<int> Unmatched, List<(string Field, List<int> Columns)> Ambiguous) Match(TableSchema schema, IReadOnlyList<string> headers)
    {
        var keys = headers.Select(Key).ToArray();
        var columnOfField = new int[schema.Fields.Count];
        var matched = new bool[headers.Count];
        var ambiguous = new List<(string Field, List<int> Columns)>();
        for (var f = 0; f < schema.Fields.Count; f++)
        {
            var field = schema.Fields[f];
            var wanted = new HashSet<string>(field.Aliases.Prepend(field.Name).Select(Key), StringComparer.Ordinal);
            var hits = Enumerable.Range(0, keys.Length).Where(i => wanted.Contains(keys[i])).ToList();
            if (hits.Count > 1)
            {
                ambiguous.Add((field.Name, hits));
            }

            columnOfField[f] = hits.Count > 0 ? hits[0] : -1;
            foreach (var i in hits)
            {
                matched[i] = true;
            }
        }

        var unmatched = Enumerable.Range(0, headers.Count).Where(i => !matched[i]).ToList();
        return (columnOfField, unmatched, ambiguous);
    }
}
