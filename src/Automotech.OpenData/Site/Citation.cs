using System.Globalization;
using System.Text;

namespace Automotech.OpenData.Site;

/// <summary>
/// How to cite one version of a dataset: a French line, APA and BibTeX, each naming the
/// publisher, title, version, date and the versioned permalink (which never changes), and the
/// licence when given (the French line and APA; BibTeX as a note).
/// </summary>
public sealed record Citation(string Permalink, string French, string Apa, string BibTex)
{
    public static Citation For(Uri baseUrl, string id, string title, string publisher, string version, DateTimeOffset published, string? licence = null)
    {
        var permalink = new Uri(baseUrl, $"datasets/{id}/{version}/").AbsoluteUri;
        var year = PublicationTime.Date(published).Year.ToString(CultureInfo.InvariantCulture);
        var date = PublicationTime.Date(published).ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("fr-FR"));
        var iso = PublicationTime.Date(published).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var french = $"{publisher}, « {title} », version {version}, jeu de données publié le {date}, {permalink}" + (licence is null ? "" : $", licence {licence}");
        var apa = $"{publisher}. ({year}). {title} (Version {version}) [Jeu de données]. {permalink}" + (licence is null ? "" : $" Licence : {licence}.");
        var key = new StringBuilder();
        foreach (var c in $"{id}_{version}")
        {
            key.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        List<string> lines =
        [
            $"@misc{{automotech_{key},",
            $"  author = {{{{{Bib(publisher)}}}}},",
            $"  title = {{{Bib(title)}}},",
            $"  year = {{{year}}},",
            $"  version = {{{version}}},",
            $"  howpublished = {{Jeu de données, publié le {iso}}},",
            $"  url = {{{permalink}}}",
        ];
        if (licence is not null)
        {
            lines[^1] += ",";
            lines.Add($"  note = {{Licence : {Bib(licence)}}}");
        }

        lines.Add("}");
        var bibtex = string.Join('\n', lines);
        return new Citation(permalink, french, apa, bibtex);
    }

    /// <summary>
    /// Text for a BibTeX field: an unbalanced brace would break the entry, so braces become
    /// parentheses; every other LaTeX special character is escaped. One pass over the text, so
    /// the backslashes and braces of an escape are never escaped again.
    /// </summary>
    private static string Bib(string text)
    {
        var bib = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            bib.Append(c switch
            {
                '{' => "(",
                '}' => ")",
                '&' or '%' or '$' or '#' or '_' => "\\" + c,
                '~' => "\\textasciitilde{}",
                '^' => "\\textasciicircum{}",
                '\\' => "\\textbackslash{}",
                _ => c.ToString(),
            });
        }

        return bib.ToString();
    }
}
