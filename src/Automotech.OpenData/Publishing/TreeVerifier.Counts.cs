using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Automotech.OpenData.Releases;
using Automotech.OpenData.Site;

namespace Automotech.OpenData.Publishing;

/// <summary>
/// What the pages count, besides their key figures: the bars of the charts a version's
/// <c>datapackage.json</c> declares, the bars by département and the map's table of counts by
/// département, recomputed by the same scan of the CSV as the key figures
/// (<see cref="DatasetPageBuilder.Counts"/>: the one more reading of that CSV), compared on the
/// version page and on the dataset's stable page (its newest version's); and the changes a version
/// page states (« N lignes ajoutées, N retirées, N modifiées, N inchangées », the rows modified by
/// field) against the version's <c>changelog.json</c>, which the manifests hash.
/// <para>
/// A chart is found by its heading (<c>&lt;h3&gt;</c>, the declared title, « Par département »)
/// followed by its <c>&lt;svg class="chart"&gt;</c>: each bar's number as drawn, and each
/// « label : count » of its <c>&lt;desc&gt;</c> (what a screen reader reads), are compared by label
/// (a declared chart's bar also by the value it counts, as builds before labels drew it; a
/// département by its code in parentheses); the map's table is found by its summary « Les chiffres
/// de la carte ». Numbers are read as the key figures are: the spaces between thousands ignored.
/// Not compared: the bars' order and lengths, the map's shades, legend, description and labels,
/// the rows count in the facts (from <c>releases.json</c>), the versions' list.
/// </para>
/// <para>
/// A page that shows none of the charts or changes due is a warning, as for the key figures:
/// it was rendered from a template of <c>Site:Templates</c> without them (the 15575cb pages show
/// the changes) and states no count, so none disagrees with the data; so is a whole chart, or the
/// map's table, missing (a template may draw it otherwise, and an error would stand on every page
/// for good). A bar or row missing from a chart or table shown, one the data do not give, or a
/// count the data do not give is an error; but for the undeclared chart of a package from before
/// charts were declared, whose builds drew it otherwise (<see cref="CompareCounts"/>).
/// </para>
/// </summary>
public sealed partial class TreeVerifier
{
    private const string MapTableName = "the map's table (« Les chiffres de la carte »)";

    [GeneratedRegex(@"<h3>(?<title>[^<]*)</h3>\s*<figure>\s*<svg class=""chart""[^>]*>(?<svg>.*?)</svg>", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ChartFigure();

    [GeneratedRegex(@"<desc[^>]*>(?<desc>[^<]*)</desc>", RegexOptions.CultureInvariant)]
    private static partial Regex ChartDescription();

    [GeneratedRegex(@"<text[^>]*\stext-anchor=""end""[^>]*>(?<label>.*?)</text>\s*<rect\s[^>]*/>\s*<text[^>]*>(?<count>[^<]*)</text>", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ChartBarText();

    [GeneratedRegex(@"(?<label>.+?) : (?<count>[0-9][0-9\s]*)(?: ; |\.$)", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex DescriptionItem();

    [GeneratedRegex(@"<summary>Les chiffres de la carte</summary>(?<table>.*?)</table>", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex MapTable();

    [GeneratedRegex(@"<tr><td>(?<name>[^<]*)</td><td>(?<count>[^<]*)</td></tr>", RegexOptions.CultureInvariant)]
    private static partial Regex MapTableRow();

    [GeneratedRegex(@"\((?<code>[^()]+)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingCode();

    [GeneratedRegex("<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tags();

    [GeneratedRegex(@"<h3>Changements de la version [^<]*</h3>(?<body>.*?)(?:</section>|$)", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ChangesSection();

    [GeneratedRegex(@"Par rapport à la version (?<previous>[^,]+), par clé primaire.*? : (?<added>[0-9][0-9\s]*) lignes? ajoutées?, (?<removed>[0-9][0-9\s]*) retirées?, (?<modified>[0-9][0-9\s]*) modifiées?, (?<unchanged>[0-9][0-9\s]*) inchangées?", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ChangesCounts();

    [GeneratedRegex(@"Première version publiée : (?<added>[0-9][0-9\s]*) lignes?\.", RegexOptions.CultureInvariant)]
    private static partial Regex FirstVersionCount();

    [GeneratedRegex(@"<tr><td><code>(?<field>[^<]*)</code></td><td>(?<rows>[^<]*)</td></tr>", RegexOptions.CultureInvariant)]
    private static partial Regex ChangedFieldRow();

    /// <summary>Reads a version's <c>changelog.json</c>, verified sound, for the changes its page states (one that does not parse is not compared: its page could not have been rendered from it).</summary>
    private async Task ReadChangelogAsync(string id, string version, string path, CancellationToken cancellationToken)
    {
        await using var stream = await target.ReadCurrentAsync(path, cancellationToken);
        if (stream is null)
        {
            return; // gone since it was hashed: a publish under way, which the lock's state reports
        }

        try
        {
            if (await JsonSerializer.DeserializeAsync<Changelog>(stream, ReleaseManifest.Json, cancellationToken) is { } changelog)
            {
                recomputed[$"{Datasets}{id}/{version}/"] = Recomputed(id, version) with { Changelog = changelog };
            }
        }
        catch (JsonException)
        {
            // Published as it is (its sha256 is the declared one): no publish renders a page from it either.
        }
    }

    /// <summary>
    /// A page's charts and map table against the counts recomputed from the CSV: each chart drawn,
    /// each of its bars with the count the CSV gives, in its drawing and its description, and no
    /// other; the map's table, when the rows are counted by département.
    /// </summary>
    private void CheckCharts(string page, string html, VersionFigures figures, string source, string remedy, string noneRemedy)
    {
        var counts = figures.Counts!;
        var due = counts.Charts.Select(c => (c.Title, c.Field, Bars: c.Bars.Select(b => new ExpectedCount(b.Label, b.Value is { } v && v != b.Label ? [b.Label, v] : [b.Label], b.Count)).ToList(), Departements: false, Lenient: c.Undeclared)).ToList();
        var departements = counts.ByDepartement.Select(d => new ExpectedCount(d.Label, [d.Code, d.Label], d.Count)).ToList();
        if (departements.Count > 0)
        {
            due.Add(("Par département", "", departements, true, false));
        }

        var shown = ChartFigure().Matches(html).Select(m => (Title: WebUtility.HtmlDecode(m.Groups["title"].Value), Svg: m.Groups["svg"].Value)).ToList();
        var table = MapTable().Match(html);
        if (due.Count == 0 && shown.Count == 0 && !table.Success)
        {
            return;
        }

        if (shown.Count == 0 && !table.Success)
        {
            Warning(page, $"shows none of the {Count(due.Count)} chart(s) ({string.Join(", ", due.Select(c => $"'{c.Title}'"))}) that {source} gives{(departements.Count > 0 ? ", nor the map's table of counts by département" : "")} "
                + "(no <h3> followed by an <svg class=\"chart\">, no « Les chiffres de la carte »): rendered from a dataset.html of Site:Templates without them, or replaced by hand; "
                + $"it states no count, so none disagrees with the data. {noneRemedy}");
            return;
        }

        var used = new bool[shown.Count];
        foreach (var chart in due)
        {
            var at = -1;
            for (var i = 0; i < shown.Count && at < 0; i++)
            {
                if (!used[i] && shown[i].Title == chart.Title)
                {
                    at = i;
                }
            }

            if (at < 0)
            {
                // A page that leaves a chart out states none of its counts, so none disagrees with
                // the data: a template that draws it otherwise (or not at all) would otherwise put an
                // error on every page, one that no publish can mend. The undeclared chart of packages
                // from before charts were declared was not drawn when only empty cells were counted.
                if (!chart.Lenient)
                {
                    Warning(page, $"chart '{chart.Title}' is not on the page (no <h3>{chart.Title}</h3> followed by an <svg class=\"chart\">), though {source} gives its {Count(chart.Bars.Count)} bar(s): {Bars(chart.Bars)}: "
                        + $"rendered from a dataset.html of Site:Templates that draws it otherwise or not at all, or edited by hand; it states none of its counts, so none disagrees with the data. {noneRemedy}");
                }

                continue;
            }

            used[at] = true;
            var svg = shown[at].Svg;
            var bars = ChartBarText().Matches(svg).Select(m => (Name: WebUtility.HtmlDecode(Tags().Replace(m.Groups["label"].Value, "")), Count: WebUtility.HtmlDecode(m.Groups["count"].Value))).ToList();
            CompareCounts(page, $"chart '{chart.Title}'", "bar ", chart.Bars, bars, chart.Departements, source, remedy, chart.Lenient);
            if (ChartDescription().Match(svg) is { Success: true } description)
            {
                var items = DescriptionItem().Matches(WebUtility.HtmlDecode(description.Groups["desc"].Value))
                    .Select(m => (Name: m.Groups["label"].Value, Count: m.Groups["count"].Value)).ToList();
                CompareCounts(page, $"chart '{chart.Title}', in its description (what a screen reader reads)", "", chart.Bars, items, chart.Departements, source, remedy, chart.Lenient);
            }
        }

        for (var i = 0; i < shown.Count; i++)
        {
            if (!used[i])
            {
                Error(page, $"shows chart '{shown[i].Title}', which {source} does not give (its declared charts with a row counted, and the bars by département when its rows are counted by département). {remedy}");
            }
        }

        if (departements.Count > 0 && !table.Success)
        {
            Warning(page, $"{MapTableName} is not on the page, though it shows charts and {source} gives counts by département ({Bars(departements)}): "
                + $"rendered from a dataset.html of Site:Templates without it, or edited by hand; it states none of its counts, so none disagrees with the data. {noneRemedy}");
        }
        else if (table.Success)
        {
            var rows = MapTableRow().Matches(table.Groups["table"].Value).Select(m => (Name: WebUtility.HtmlDecode(m.Groups["name"].Value), Count: WebUtility.HtmlDecode(m.Groups["count"].Value))).ToList();
            CompareCounts(page, MapTableName, "", departements, rows, departements: true, source, remedy);
        }
    }

    /// <summary>
    /// The changes a version page states against its <c>changelog.json</c>: the version compared
    /// with, the rows added, removed, modified and unchanged (a first version: its rows, all
    /// added), and the rows modified by field.
    /// </summary>
    private void CheckChanges(string page, string html, string version, Changelog changelog)
    {
        var source = $"the version's {Changelog.FileName}";
        var section = ChangesSection().Match(html);
        if (!section.Success)
        {
            Warning(page, $"shows no « Changements de la version {version} » (no <h3> of that title), while the version's {Changelog.FileName} is published: "
                + "rendered from a dataset.html of Site:Templates without it, or replaced by hand; it states no change, so none disagrees with the data. Nothing to repair; to show them, delete the page and publish again with templates that do.");
            return;
        }

        var what = $"the changes of version {version}";
        var body = WebUtility.HtmlDecode(section.Groups["body"].Value);
        var since = ChangesCounts().Match(body);
        var first = FirstVersionCount().Match(body);
        if (changelog.Previous is null)
        {
            if (first.Success)
            {
                CompareCount(page, what, "'lignes' (a first version: every row added)", first.Groups["added"].Value, changelog.Added, "added", source);
            }
            else
            {
                Error(page, $"{what} {(since.Success ? $"are said since version {since.Groups["previous"].Value.Trim()}" : "state no count verify reads")}, where {source} says it is the dataset's first version: {Number(changelog.Added)} row(s) added. {VersionPageRemedy}");
            }

            return;
        }

        if (!since.Success)
        {
            Error(page, $"{what} {(first.Success ? "say it is the dataset's first version" : "state no count verify reads")}, where {source} compares it with version {changelog.Previous}: {Number(changelog.Added)} added, {Number(changelog.Removed)} removed, {Number(changelog.Modified)} modified, {Number(changelog.Unchanged)} unchanged. {VersionPageRemedy}");
            return;
        }

        if (since.Groups["previous"].Value.Trim() != changelog.Previous)
        {
            Error(page, $"{what} are said since version {since.Groups["previous"].Value.Trim()}, where {source} compares it with version {changelog.Previous}. {VersionPageRemedy}");
        }

        CompareCount(page, what, "'ajoutées'", since.Groups["added"].Value, changelog.Added, "added", source);
        CompareCount(page, what, "'retirées'", since.Groups["removed"].Value, changelog.Removed, "removed", source);
        CompareCount(page, what, "'modifiées'", since.Groups["modified"].Value, changelog.Modified, "modified", source);
        CompareCount(page, what, "'inchangées'", since.Groups["unchanged"].Value, changelog.Unchanged, "unchanged", source);
        var fields = ChangedFieldRow().Matches(section.Groups["body"].Value)
            .Select(m => (Name: WebUtility.HtmlDecode(m.Groups["field"].Value), Count: WebUtility.HtmlDecode(m.Groups["rows"].Value))).ToList();
        CompareCounts(page, $"{what}, rows modified by field", "field ", [.. (changelog.Fields ?? []).Select(f => new ExpectedCount(f.Field, [f.Field], f.Rows))], fields, departements: false, $"{source} ('fields')", VersionPageRemedy);
    }

    private void CompareCount(string page, string what, string label, string said, long expected, string key, string source)
    {
        if (!SameFigure(said, KeyFigureFormat.Count(expected)))
        {
            Error(page, $"{what}: {label} says {Show(said)}, {source} gives {Number(expected)} ({key}). {VersionPageRemedy}");
        }
    }

    /// <summary>
    /// Counts shown (bars, a description's items, a table's rows), by name, against those due: each
    /// due shown once with its count, and no other. A name matches a due one by any of its keys
    /// (for the départements, the code in parentheses at the end of the name shown, or the name).
    /// </summary>
    /// <param name="lenient">
    /// The undeclared chart of a package from before charts were declared (9143b2c): its builds drew
    /// every value, with no « N autres valeurs » past 30 bars and no bar for the empty cells, so only
    /// the counts of the bars shown and due both are compared.
    /// </param>
    private void CompareCounts(string page, string what, string kind, IReadOnlyList<ExpectedCount> due, List<(string Name, string Count)> shown, bool departements, string source, string remedy, bool lenient = false)
    {
        // A département is shown as « Haute-Garonne (31) », or by its value alone when the reference
        // does not know it, and that value may itself end in parentheses (« Étranger (99) »): either
        // the code in parentheses or the whole name may be the key. Names are compared trimmed.
        bool Matches(ExpectedCount expected, string name)
        {
            var whole = name.Trim();
            var code = departements && TrailingCode().Match(whole) is { Success: true } m ? m.Groups["code"].Value : null;
            return expected.Keys.Any(k => k.Trim() == whole || (code is not null && k.Trim() == code));
        }

        var used = new bool[shown.Count];
        foreach (var expected in due)
        {
            var at = -1;
            for (var i = 0; i < shown.Count && at < 0; i++)
            {
                if (!used[i] && Matches(expected, shown[i].Name))
                {
                    at = i;
                }
            }

            if (at < 0)
            {
                if (!lenient)
                {
                    Error(page, $"{what}: {kind}'{expected.Name}' is not on the page; {source} gives {Number(expected.Count)}. {remedy}");
                }

                continue;
            }

            used[at] = true;
            if (!SameFigure(shown[at].Count, KeyFigureFormat.Count(expected.Count)))
            {
                Error(page, $"{what}: {kind}'{expected.Name}' says {Show(shown[at].Count)}, {source} gives {Number(expected.Count)}. {remedy}");
            }
        }

        for (var i = 0; i < shown.Count && !lenient; i++)
        {
            if (!used[i])
            {
                Error(page, $"{what}: shows {kind}'{shown[i].Name.Trim()}' ({Show(shown[i].Count)}), which {source} does not give. {remedy}");
            }
        }
    }

    /// <summary>A count for a finding, as the pages write it, its narrow spaces written as spaces ("1 234").</summary>
    private static string Number(long n) => Show(KeyFigureFormat.Count(n));

    private static string Bars(IEnumerable<ExpectedCount> bars) => string.Join(" ; ", bars.Select(b => $"{b.Name} : {Number(b.Count)}"));

    /// <summary>A count due on a page: its name for the findings, the names it may be shown by, and its value.</summary>
    private sealed record ExpectedCount(string Name, IReadOnlyList<string> Keys, long Count);
}
