using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Automotech.OpenData.Releases;
using Automotech.OpenData.Site;

namespace Automotech.OpenData.Publishing;

/// <summary>
/// What the pages say: the key figures a journalist cites. No manifest hashes a page (a lost
/// version page is rendered again by the next publish), so a page whose figures disagree with its
/// version's CSV (a rendering bug, a hand edit, a page tampered with in storage or restored from
/// elsewhere) would pass every other check. For each listed version that declares key figures and
/// whose CSV (and <c>datapackage.json</c>) verified sound, the figures are recomputed from the CSV
/// by the version's own definitions, with the scan that renders the pages
/// (<see cref="DatasetPageBuilder.Counts"/>: one more reading of that CSV, streamed), and
/// compared with what its page shows (<c>#chiffre-&lt;id&gt;</c>, its <c>value</c>); the dataset's
/// stable page (<c>datasets/&lt;id&gt;/index.html</c>) with its newest version's; the home page's,
/// each with the version its « Source » link names.
/// <para>
/// The value is compared as a number is read, whatever its spelling: the spaces between thousands
/// (none, a no-break space, a narrow one) differ between builds and are ignored; the rounded
/// reading beside an amount (« ≈ 1,98 Md€ »), the label and the definition are not compared.
/// </para>
/// <para>
/// A page that shows no key figure at all while figures are due is a warning, not damage, as the
/// links to <c>latest/</c> of the pages rendered before 1e24b56 are: every build that declared key
/// figures in <c>datapackage.json</c> also rendered them with this markup (both came in 72f53cd,
/// 2026-11-25), so such a page was rendered from a template of <c>Site:Templates</c> copied before
/// key figures existed (or replaced by hand): it states no figure, so none disagrees with the data.
/// A page showing some figures and not another, or one the data do not give, is an error.
/// </para>
/// </summary>
public sealed partial class TreeVerifier
{
    private const string VersionPageRemedy = "A version's page is never rewritten: delete it and publish again, which renders it from the version's published datapackage.json, CSV and changelog.json, as it renders any missing version page.";

    private const string Placeholder = "https://tree.invalid/";

    /// <summary>By version folder (<c>datasets/&lt;id&gt;/&lt;version&gt;/</c>): the figures recomputed from its CSV.</summary>
    private readonly Dictionary<string, VersionFigures> recomputed = new(StringComparer.Ordinal);

    /// <summary>The pages whose figures are still to be compared, and against what.</summary>
    private readonly SortedDictionary<string, FiguresDue> figuresDue = new(StringComparer.Ordinal);

    /// <summary>Each listed dataset's newest version (null: ill-formed), for the stable pages and the home page.</summary>
    private IReadOnlyDictionary<string, ReleaseVersion?> figuresNewest = new Dictionary<string, ReleaseVersion?>();

    /// <summary>The site's base URL, once the catalogue gave it: links of the pages are read against it.</summary>
    private (string Home, string BasePath)? siteBase;

    private enum FiguresPage
    {
        Version,
        Stable,
        Home,
    }

    [GeneratedRegex(@"\sid=""chiffre-(?<id>[^""]*)""", RegexOptions.CultureInvariant)]
    private static partial Regex FigureAnchor();

    [GeneratedRegex(@"<span class=""value(?:\s[^""]*)?"">(?<value>[^<]*)</span>", RegexOptions.CultureInvariant)]
    private static partial Regex FigureValue();

    [GeneratedRegex(@"^datasets/(?<id>[^/]+)/(?<version>[^/]+)/index\.html$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPagePath();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();

    /// <summary>What <c>datapackage.json</c> declares for its pages to count (key figures, charts, their columns), read as the pages read it; null (and an error) when it cannot be read.</summary>
    private PageDeclarations? PageDeclarations(string path, JsonElement root)
    {
        try
        {
            return DatasetPageBuilder.Declarations(root);
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException)
        {
            Error(path, "its keyFigures or charts cannot be read (each key figure is an object with an id and a where object, each chart an object with a field): the key figures and charts of its pages were not checked.");
            return null;
        }
    }

    /// <summary>Reads the version's CSV once more and keeps what its pages must show: key figures, charts' bars, counts by département.</summary>
    private async Task RecomputeFiguresAsync(string id, string version, string csv, PageDeclarations declarations, CancellationToken cancellationToken)
    {
        await using var stream = await target.ReadCurrentAsync(csv, cancellationToken);
        if (stream is null)
        {
            return; // gone since it was hashed: a publish under way, which the lock's state reports
        }

        // The scan reads synchronously, as when a page is rendered from the target: off the caller's thread.
        PageCounts counts;
        try
        {
            counts = await Task.Run(() => DatasetPageBuilder.Counts(declarations, stream, version, id), cancellationToken);
        }
        catch (Exception e) when (e is not (OperationCanceledException or IOException or HttpRequestException or Azure.RequestFailedException or OutOfMemoryException))
        {
            // A CSV whose sha256 is the declared one but that the page's scan cannot read (no build
            // publishes one): said on its own line, and the other findings still reported. Its
            // pages' counts are not compared, as for a damaged CSV.
            var message = e.Message.Split('\n', 2)[0].Trim();
            Error(csv, $"its rows could not be counted as its pages count them ({e.GetType().Name}: {(message.Length > 200 ? message[..200] + "…" : message)}): the key figures, charts and counts by département of its pages were not compared with it.");
            return;
        }

        recomputed[$"{Datasets}{id}/{version}/"] = Recomputed(id, version) with { Csv = csv, Counts = counts };
    }

    /// <summary>What is already recomputed for a version, or nothing yet.</summary>
    private VersionFigures Recomputed(string id, string version) =>
        recomputed.GetValueOrDefault($"{Datasets}{id}/{version}/") ?? new VersionFigures(id, version, null, null, null);

    /// <summary>
    /// The pages whose figures are due, once every version is checked: each version page with
    /// recomputed figures or a changelog read, each dataset's stable page when its newest version's
    /// figures are, the home page when any newest version declares key figures. Each is compared when the pages are read for their links
    /// (<see cref="CheckFigures"/>), or after them for one no link reached (<see cref="CheckRemainingFiguresAsync"/>).
    /// </summary>
    private void PlanFigures(IReadOnlyDictionary<string, ReleaseVersion?> newest)
    {
        figuresNewest = newest;
        foreach (var (folder, figures) in recomputed)
        {
            figuresDue[folder + Page] = new FiguresDue(FiguresPage.Version, figures);
        }

        foreach (var (id, version) in newest)
        {
            if (version is not null && recomputed.TryGetValue($"{Datasets}{id}/{version.Version}/", out var figures) && figures.Counts is not null)
            {
                figuresDue[$"{Datasets}{id}/{Page}"] = new FiguresDue(FiguresPage.Stable, figures);
                if (figures.Values.Count > 0)
                {
                    figuresDue[Page] = new FiguresDue(FiguresPage.Home, null);
                }
            }
        }
    }

    /// <summary>Compares the figures <paramref name="page"/> shows with those due, if they are due and not compared yet.</summary>
    private void CheckFigures(string page, string html)
    {
        if (!figuresDue.Remove(page, out var due))
        {
            return;
        }

        var figures = due.Figures;
        var shown = ShownFigures(page, html);
        switch (due.Page)
        {
            case FiguresPage.Version:
                if (figures!.Counts is not null)
                {
                    if (figures.Values.Count > 0 && shown.Count == 0)
                    {
                        Warning(page, $"shows none of the {Count(figures.Values.Count)} key figure(s) its version's {Writers.DataPackage.FileName} declares (no element with an id 'chiffre-…'): "
                            + "every build that declares key figures renders them (since 72f53cd, 2026-11-25), so the page was rendered from a dataset.html of Site:Templates without them, or replaced by hand; "
                            + "it states no figure, so none disagrees with the data. Nothing to repair; to show them, delete the page and publish again with templates that do.");
                    }
                    else
                    {
                        Compare(page, figures, shown, $"the version's {figures.CsvName}", $"the version's {Writers.DataPackage.FileName}", VersionPageRemedy);
                    }

                    CheckCharts(page, html, figures, $"the version's {figures.CsvName}", VersionPageRemedy,
                        "Nothing to repair; to show them, delete the page and publish again with templates that do.");
                }

                if (figures.Changelog is { } changelog)
                {
                    CheckChanges(page, html, figures.Version, changelog);
                }

                return;
            case FiguresPage.Stable:
                if (figures!.Values.Count > 0 && shown.Count == 0)
                {
                    Warning(page, $"shows none of the {Count(figures.Values.Count)} key figure(s) of version {figures.Version}, the newest (no element with an id 'chiffre-…'): "
                        + "rendered from a dataset.html of Site:Templates without them, or edited by hand; it states no figure, so none disagrees with the data. The next publish writes it again (with the templates it is given).");
                }
                else
                {
                    Compare(page, figures, shown, $"the newest version's ({figures.Version}) {figures.CsvName}", $"version {figures.Version}'s {Writers.DataPackage.FileName}", Remedy);
                }

                CheckCharts(page, html, figures, $"the newest version's ({figures.Version}) {figures.CsvName}", Remedy,
                    "The next publish writes it again (with the templates it is given).");
                return;
            default:
                CheckHomeFigures(page, shown);
                return;
        }
    }

    /// <summary>The figures due on pages that no link led to (or when the catalogue gave no base URL to follow them): read now.</summary>
    private async Task CheckRemainingFiguresAsync(CancellationToken cancellationToken)
    {
        foreach (var page in figuresDue.Keys.ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await ReadTextAsync(page, cancellationToken) is { } html)
            {
                CheckFigures(page, html);
            }
            else
            {
                figuresDue.Remove(page); // missing: said by the manifests' or the site's checks
            }
        }
    }

    /// <summary>
    /// A page's figures against one version's: each declared figure shown, with the value the CSV
    /// gives, for that version (a link of the figure to another version's page says otherwise),
    /// and no other.
    /// </summary>
    private void Compare(string page, VersionFigures figures, IReadOnlyList<ShownFigure> shown, string source, string declaredBy, string remedy)
    {
        var byId = new Dictionary<string, ShownFigure>(StringComparer.Ordinal);
        foreach (var figure in shown)
        {
            byId.TryAdd(figure.Id, figure);
        }

        foreach (var expected in figures.Values)
        {
            if (!byId.TryGetValue(expected.Id, out var figure))
            {
                Error(page, $"key figure '{expected.Id}' ({expected.Label}), which {declaredBy} declares, is not on the page (no element with id 'chiffre-{expected.Id}'); {source} gives {Show(expected.Value)}. {remedy}");
            }
            else if (figure.Source is { } named && (named.Id != figures.Id || named.Version != figures.Version))
            {
                Error(page, $"key figure '{expected.Id}' says {Said(figure.Value)} for version {named.Version} of '{named.Id}' (its link), where the page shows version {figures.Version} of '{figures.Id}': {source} gives {Show(expected.Value)}. {remedy}");
            }
            else if (!SameFigure(figure.Value, expected.Value))
            {
                Error(page, $"key figure '{expected.Id}' says {Said(figure.Value)}, {source} gives {Show(expected.Value)}. {remedy}");
            }
        }

        foreach (var figure in byId.Values.Where(f => !figures.Values.Any(v => v.Id == f.Id)))
        {
            Error(page, $"shows key figure '{figure.Id}' ({Said(figure.Value)}), which {declaredBy} does not declare. {remedy}");
        }
    }

    /// <summary>
    /// The home page shows each figure read from a column (an aggregate's, chiffres-cles') of every
    /// dataset's newest version, with a « Source » link to that version's page: each figure shown is
    /// compared with the version its link names (without one, with the one newest version declaring
    /// a figure of that id read from a column; none or several: not compared), which must be the
    /// newest; and each figure due must be shown.
    /// </summary>
    private void CheckHomeFigures(string page, IReadOnlyList<ShownFigure> shown)
    {
        var due = figuresNewest.Where(n => n.Value is not null).Select(n => recomputed.GetValueOrDefault($"{Datasets}{n.Key}/{n.Value!.Version}/"))
            .OfType<VersionFigures>().OrderBy(f => f.Id, StringComparer.Ordinal).ToList();
        var fromColumns = due.SelectMany(f => f.Values.Where(v => v.FromColumn).Select(v => (Figures: f, Value: v))).ToList();
        if (shown.Count == 0)
        {
            if (fromColumns.Count > 0)
            {
                Warning(page, $"shows none of the {Count(fromColumns.Count)} key figure(s) read from a column of the datasets' newest versions ({string.Join(", ", fromColumns.Select(f => $"'{f.Value.Id}' of '{f.Figures.Id}'").Distinct())}) (no element with an id 'chiffre-…'): "
                    + "rendered from an index.html of Site:Templates without them, or edited by hand; it states no figure, so none disagrees with the data. The next publish writes it again (with the templates it is given).");
            }

            return;
        }

        var seen = new HashSet<(string Dataset, string Figure)>();
        foreach (var figure in shown)
        {
            var source = figure.Source;
            if (source is null && fromColumns.Where(f => f.Value.Id == figure.Id).ToList() is [var only])
            {
                source = (only.Figures.Id, only.Figures.Version);
            }

            if (source is not { } named || !seen.Add((named.Id, figure.Id)))
            {
                continue; // its source cannot be told (no link, and no one newest version declaring it), or said above
            }

            if (!figuresNewest.TryGetValue(named.Id, out var newest) || newest is null)
            {
                continue; // not a listed dataset: its link is checked with the pages' links
            }

            if (named.Version != newest.Version)
            {
                Error(page, $"key figure '{figure.Id}' says {Said(figure.Value)} for version {named.Version} of '{named.Id}' (its source), where {ReleaseManifest.FileName}'s newest is {newest.Version}: the home page shows the newest version's figures. {Remedy}");
                continue;
            }

            if (!recomputed.TryGetValue($"{Datasets}{named.Id}/{named.Version}/", out var figures) || figures.Counts is null)
            {
                continue; // its CSV or datapackage.json is damaged (reported), or it declares no key figure
            }

            var expected = figures.Values.FirstOrDefault(v => v.Id == figure.Id);
            if (expected is null)
            {
                Error(page, $"shows key figure '{figure.Id}' ({Said(figure.Value)}) of '{named.Id}', which version {named.Version}'s {Writers.DataPackage.FileName} does not declare. {Remedy}");
            }
            else if (!SameFigure(figure.Value, expected.Value))
            {
                Error(page, $"key figure '{figure.Id}' says {Said(figure.Value)}, version {named.Version} of '{named.Id}' ({figures.CsvName}) gives {Show(expected.Value)}. {Remedy}");
            }
        }

        foreach (var (figures, expected) in fromColumns.Where(f => !seen.Contains((f.Figures.Id, f.Value.Id))))
        {
            Error(page, $"does not show key figure '{expected.Id}' ({expected.Label}) of '{figures.Id}', read from a column of version {figures.Version}, the newest ({figures.CsvName} gives {Show(expected.Value)}): the home page shows every such figure. {Remedy}");
        }
    }

    /// <summary>
    /// The key figures a page shows: each element with an id <c>chiffre-&lt;id&gt;</c>, up to the
    /// next one or the end of its <c>li</c>, its <c>&lt;span class="value"&gt;</c>'s text, and the
    /// first of its links that leads to a version's page (the version it is given for).
    /// </summary>
    private List<ShownFigure> ShownFigures(string page, string html)
    {
        var (home, basePath) = siteBase ?? (Placeholder, "/");
        var anchors = FigureAnchor().Matches(html);
        var shown = new List<ShownFigure>(anchors.Count);
        for (var i = 0; i < anchors.Count; i++)
        {
            var start = anchors[i].Index;
            var end = i + 1 < anchors.Count ? anchors[i + 1].Index : html.Length;
            var close = html.IndexOf("</li>", start, end - start, StringComparison.Ordinal);
            var part = html[start..(close >= 0 ? close : end)];
            var value = FigureValue().Match(part) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups["value"].Value) : null;
            (string Id, string Version)? source = null;
            foreach (Match link in LinkAttribute().Matches(part))
            {
                if (Resolve(page, WebUtility.HtmlDecode(link.Groups["value"].Value), home, basePath) is { Path: { } path }
                    && VersionPagePath().Match(path) is { Success: true } target && target.Groups["version"].Value != "latest")
                {
                    source = (target.Groups["id"].Value, target.Groups["version"].Value);
                    break;
                }
            }

            shown.Add(new ShownFigure(WebUtility.HtmlDecode(anchors[i].Groups["id"].Value), value, source));
        }

        return shown;
    }

    /// <summary>Whether a page's value is the figure's, as a number reads: the spaces between thousands (none, no-break, narrow) differ between builds.</summary>
    private static bool SameFigure(string? shown, string expected) =>
        shown is not null && string.Equals(Spaces().Replace(shown, ""), Spaces().Replace(expected, ""), StringComparison.Ordinal);

    /// <summary>A value for a finding, its no-break spaces written as spaces ("10 687", "1 979 701 000 €").</summary>
    private static string Show(string value) => Spaces().Replace(value, " ").Trim();

    private static string Said(string? value) => value is null ? "nothing (no <span class=\"value\">)" : Show(value);

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// What a listed version's pages must show: its key figures, charts' bars and counts by
    /// département as recomputed from its CSV (the CSV's path, for the findings; null, with the
    /// counts, when the CSV was not read), and its changes as its <c>changelog.json</c> holds them
    /// (null when it has none, or none verified sound).
    /// </summary>
    private sealed record VersionFigures(string Id, string Version, string? Csv, PageCounts? Counts, Changelog? Changelog)
    {
        public IReadOnlyList<KeyFigureValue> Values => Counts?.KeyFigures ?? [];

        public string CsvName => Csv is null ? "" : Csv[(Csv.LastIndexOf('/') + 1)..];
    }

    /// <summary>A key figure as a page shows it: its id, its value (null when the page gives none), and the version page its link names, if any.</summary>
    private sealed record ShownFigure(string Id, string? Value, (string Id, string Version)? Source);

    /// <summary>A page whose figures are due: which kind, and the version's figures (none for the home page, which takes each dataset's newest).</summary>
    private sealed record FiguresDue(FiguresPage Page, VersionFigures? Figures);
}
