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
    /// <summary>
    /// The first 1st of a month since the French line writes "le 1er décembre". A version's page is
    /// rendered once, when it is published, and never again; the dataset's page, rendered on every
    /// run, quotes its latest version's citation. A version published on an earlier 1st keeps the
    /// line its own page shows ("le 1 novembre 2026"), which may have been quoted.
    /// </summary>
    public static readonly DateOnly FirstOrdinal = new(2026, 12, 1);

    public static Citation For(Uri baseUrl, string id, string title, string publisher, string version, DateTimeOffset published, string? licence = null)
    {
        var permalink = new Uri(baseUrl, $"datasets/{id}/{version}/").AbsoluteUri;
        var year = PublicationTime.Date(published).Year.ToString(CultureInfo.InvariantCulture);
        var day = PublicationTime.Date(published);
        var date = day.Day == 1 && day < FirstOrdinal
            ? day.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("fr-FR"))
            : PublicationTime.LongDate(day);
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
