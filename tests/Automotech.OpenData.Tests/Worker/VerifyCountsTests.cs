using System.Text.RegularExpressions;
using Automotech.OpenData.Publishing;
using Automotech.OpenData.Tests.EndToEnd;
using Automotech.OpenData.Tests.Publishing;
using static Automotech.OpenData.Tests.Worker.PublishedPages;

namespace Automotech.OpenData.Tests.Worker;

/// <summary>
/// <c>verify</c> on the other counts the pages state: the bars of the declared charts and by
/// département, and the map's table, must be those the version's CSV gives (recomputed by the
/// page's own scan, in the same one more reading as the key figures); the changes a version page
/// states must be its <c>changelog.json</c>'s. A count edited is an error naming the page, what it
/// says and what the data give; the page rendered again by the next publish is sound; a page from
/// templates without charts or changes is a warning.
/// </summary>
public sealed class VerifyCountsTests
{
    private const string Version = PublishedPages.Version; // System.Version would be ambiguous

    [Fact]
    public async Task The_demo_as_published_shows_what_its_data_give_each_CSV_and_changelog_read_once_more_and_each_page_once()
    {
        using var site = await PublishedAsync();
        var target = new CountingTarget(new LocalFolderTarget(site.Site));

        var report = await new TreeVerifier(target).VerifyAsync(CancellationToken.None);

        Assert.True(report.Sound && report.Findings.Count == 0, string.Join(" | ", report.Findings));

        // Key figures, charts and départements come from one more reading of each version's CSV
        // (after its sha256); its changelog.json is read once more (after its sha256) for the changes;
        // its copy in latest/ and every other data file once; each dataset's pages once (what they
        // say is compared as their links are read).
        foreach (var id in new[] { "acteurs", "chiffres-cles", "sirene-automobile" })
        {
            Assert.Equal(2, target.Reads[$"datasets/{id}/{Version}/{id}.csv"]);
            Assert.Equal(2, target.Reads[$"datasets/{id}/{Version}/changelog.json"]);
            Assert.Equal(1, target.Reads[$"datasets/{id}/latest/{id}.csv"]);
            Assert.Equal(1, target.Reads[$"datasets/{id}/{Version}/{id}.parquet"]);
            Assert.Equal(1, target.Reads[$"datasets/{id}/{Version}/index.html"]);
            Assert.Equal(1, target.Reads[$"datasets/{id}/index.html"]);
        }
    }

    [Fact]
    public async Task A_bar_of_a_declared_chart_edited_on_a_version_page_is_an_error_and_the_page_rendered_again_is_sound()
    {
        using var site = await PublishedAsync();
        var page = $"datasets/acteurs/{Version}/index.html";
        var file = site.Path(page.Split('/'));
        var original = File.ReadAllText(file);
        Edit(site, page, "fill=\"#1b1f24\">97</text>", "fill=\"#1b1f24\">98</text>"); // PME, drawn

        Assert.Equal(1, await site.RunAsync("verify"));

        Assert.Equal([$"error: {page}: chart 'Par type d'acteur': bar 'PME' says 98, the version's acteurs.csv gives 97. {VersionPageRemedy}"], Findings(site, "error"));
        Assert.Empty(Findings(site, "warning"));

        // The remedy said: the page deleted, the next publish renders it from the version's files.
        File.Delete(file);
        Assert.Equal(0, await site.RunAsync("publish"));
        Assert.Equal(original, File.ReadAllText(file));
        Assert.Equal(0, await site.RunAsync("verify"));
        Assert.Empty(Findings(site, "error"));
        Assert.Empty(Findings(site, "warning"));
    }

    [Fact]
    public async Task A_bar_edited_in_a_chart_s_description_or_on_the_stable_page_is_an_error()
    {
        using var site = await PublishedAsync();
        var page = $"datasets/sirene-automobile/{Version}/index.html";
        Edit(site, page, "Non employeur : 54 ;", "Non employeur : 45 ;");
        Edit(site, "datasets/acteurs/index.html", "fill=\"#1b1f24\">60</text>", "fill=\"#1b1f24\">66</text>"); // TPE

        Assert.Equal(1, await site.RunAsync("verify"));

        Assert.Equal(
            [
                "error: datasets/acteurs/index.html: chart 'Par type d'acteur': bar 'TPE' says 66, the newest version's (2026-11-25) acteurs.csv gives 60. The next publish writes it again.",
                $"error: {page}: chart 'Par tranche d'effectif salarié (Insee)', in its description (what a screen reader reads): 'Non employeur' says 45, the version's sirene-automobile.csv gives 54. {VersionPageRemedy}",
            ],
            Findings(site, "error"));
    }

    [Fact]
    public async Task A_count_by_departement_edited_in_its_bars_or_in_the_map_s_table_is_an_error()
    {
        using var site = await PublishedAsync();
        var page = $"datasets/acteurs/{Version}/index.html";
        Edit(site, page, "fill=\"#1b1f24\">85</text>", "fill=\"#1b1f24\">58</text>"); // Haute-Garonne, its bar
        Edit(site, page, "<tr><td>Lozère (48)</td><td>2</td></tr>", "<tr><td>Lozère (48)</td><td>3</td></tr>");

        Assert.Equal(1, await site.RunAsync("verify"));

        Assert.Equal(
            [
                $"error: {page}: chart 'Par département': bar 'Haute-Garonne (31)' says 58, the version's acteurs.csv gives 85. {VersionPageRemedy}",
                $"error: {page}: the map's table (« Les chiffres de la carte »): 'Lozère (48)' says 3, the version's acteurs.csv gives 2. {VersionPageRemedy}",
            ],
            Findings(site, "error"));
    }

    [Fact]
    public async Task A_first_version_s_row_count_edited_in_its_changes_is_an_error()
    {
        using var site = await PublishedAsync();
        var page = $"datasets/acteurs/{Version}/index.html";
        Edit(site, page, "Première version publiée : 237 lignes.", "Première version publiée : 273 lignes.");

        Assert.Equal(1, await site.RunAsync("verify"));

        Assert.Equal([$"error: {page}: the changes of version {Version}: 'lignes' (a first version: every row added) says 273, the version's changelog.json gives 237 (added). {VersionPageRemedy}"], Findings(site, "error"));
    }

    [Fact]
    public async Task The_changes_since_the_version_before_edited_on_a_version_page_are_errors()
    {
        // A second version of acteurs, a day later, one actor's type changed in the source.
        using var site = await PublishedAsync();
        var pipelines = site.Temp("pipelines");
        var acteurs = Path.Combine(pipelines, "acteurs");
        Directory.CreateDirectory(acteurs);
        var source = site.Temp("acteurs.csv");
        var csv = File.ReadAllText(Path.Combine(Repo.Root, "samples", "acteurs-crm-demo.csv"));
        Assert.Contains(",O,start-up,oui,2016-05-02,", csv, StringComparison.Ordinal);
        File.WriteAllText(source, csv.Replace(",O,start-up,oui,2016-05-02,", ",O,pme,oui,2016-05-02,", StringComparison.Ordinal));
        File.Copy(Path.Combine(Repo.Root, "pipelines", "acteurs", "schema.json"), Path.Combine(acteurs, "schema.json"));
        File.WriteAllText(Path.Combine(acteurs, "pipeline.yaml"), File.ReadAllText(Path.Combine(Repo.Root, "pipelines", "acteurs", "pipeline.yaml"))
            .Replace("path: ../../samples/acteurs-crm-demo.csv", $"path: {source}", StringComparison.Ordinal));
        site.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}"));
        Assert.Equal(0, await site.RunAsync("verify"));
        Assert.Empty(Findings(site, "error"));

        var page = "datasets/acteurs/2026-11-26/index.html";
        var html = File.ReadAllText(site.Path(page.Split('/')));
        Assert.Contains("Par rapport à la version 2026-11-25, par clé primaire : 0 ligne ajoutée, 0 retirée, 1 modifiée, 236 inchangées.", html, StringComparison.Ordinal);
        Edit(site, page, "0 retirée, 1 modifiée,", "0 retirée, 2 modifiées,");
        Edit(site, page, "<tr><td><code>type_acteur</code></td><td>1</td></tr>", "<tr><td><code>type_acteur</code></td><td>2</td></tr>");

        Assert.Equal(1, await site.RunAsync("verify"));

        Assert.Equal(
            [
                $"error: {page}: the changes of version 2026-11-26: 'modifiées' says 2, the version's changelog.json gives 1 (modified). {VersionPageRemedy}",
                $"error: {page}: the changes of version 2026-11-26, rows modified by field: field 'type_acteur' says 2, the version's changelog.json ('fields') gives 1. {VersionPageRemedy}",
            ],
            Findings(site, "error"));
    }

    [Fact]
    public async Task Pages_rendered_from_templates_without_charts_or_changes_are_warnings_not_damage()
    {
        // A Site:Templates copy of dataset.html made before charts and changes were shown: the pages
        // state no count, so none disagrees with the data.
        using var site = new DemoSite();
        var custom = site.Temp("old-templates");
        Directory.CreateDirectory(custom);
        var dataset = File.ReadAllText(Path.Combine(Repo.Templates, "dataset.html"));
        var without = Regex.Replace(dataset, @"\{\{ if dataset\.map \|\| dataset\.charts\.size > 0 \}\}.*?</section>\n\{\{ end \}\}\n", "", RegexOptions.Singleline);
        without = Regex.Replace(without, @"\{\{ if is_version_page && dataset\.changelog \}\}.*?\{\{ end \}\}\n</section>", "</section>", RegexOptions.Singleline);
        Assert.DoesNotContain("class=\"chart\"", without, StringComparison.Ordinal);
        Assert.DoesNotContain("Changements de la version", without, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(custom, "dataset.html"), without);
        Assert.Equal(0, await site.RunAsync("publish", $"--Site:Templates={custom}"));

        Assert.Equal(0, await site.RunAsync("verify", $"--Site:Templates={custom}"));

        Assert.Empty(Findings(site, "error"));
        var warnings = Findings(site, "warning");
        Assert.Equal(7, warnings.Count); // acteurs' and sirene-automobile's version and stable pages (charts), each version page (changes)
        Assert.Contains(
            $"warning: datasets/acteurs/{Version}/index.html: shows none of the 2 chart(s) ('Par type d'acteur', 'Par département') that the version's acteurs.csv gives, nor the map's table of counts by département "
            + "(no <h3> followed by an <svg class=\"chart\">, no « Les chiffres de la carte »): rendered from a dataset.html of Site:Templates without them, or replaced by hand; "
            + "it states no count, so none disagrees with the data. Nothing to repair; to show them, delete the page and publish again with templates that do.",
            warnings);
        Assert.Contains(warnings, w => w.StartsWith("warning: datasets/sirene-automobile/index.html: shows none of the 3 chart(s) ", StringComparison.Ordinal) && w.EndsWith("The next publish writes it again (with the templates it is given).", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith($"warning: datasets/chiffres-cles/{Version}/index.html: shows no « Changements de la version {Version} » ", StringComparison.Ordinal));
        Assert.EndsWith("0 error(s), 7 warning(s): sound.", Lines(site.Output)[^1], StringComparison.Ordinal);
    }

    /// <summary>
    /// Builds before charts were declared (9143b2c, 2026-11-27) wrote no <c>charts</c> into
    /// <c>datapackage.json</c> and drew type_acteur's chart with every value, with no « N autres
    /// valeurs » past 30 bars and no bar for the empty cells: a bar the current rules draw may be
    /// missing from such a page, or values they fold drawn one by one. Its bars shown and due both
    /// are compared, and only they. Here a definition that declares no chart (its package has no
    /// <c>charts</c> either, as those builds') has one bar taken off its page.
    /// </summary>
    [Fact]
    public async Task The_chart_of_a_package_declaring_none_compares_only_the_bars_both_the_page_and_the_data_give()
    {
        using var site = new DemoSite();
        var repo = site.Temp("repo");
        foreach (var definition in Directory.EnumerateFiles(Repo.Pipelines, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(repo, "pipelines", Path.GetRelativePath(Repo.Pipelines, definition));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(definition, copy);
        }

        Directory.CreateDirectory(Path.Combine(repo, "samples"));
        foreach (var sample in Directory.EnumerateFiles(Path.Combine(Repo.Root, "samples"), "*.csv"))
        {
            File.Copy(sample, Path.Combine(repo, "samples", Path.GetFileName(sample)));
        }

        var yaml = Path.Combine(repo, "pipelines", "acteurs", "pipeline.yaml");
        var withoutCharts = Regex.Replace(File.ReadAllText(yaml), @"\n  charts:\n(    .*\n)+", "\n");
        Assert.DoesNotContain("charts:", withoutCharts, StringComparison.Ordinal);
        File.WriteAllText(yaml, withoutCharts);
        Assert.Equal(0, await site.RunAsync("publish", $"--Pipeline:Directory={Path.Combine(repo, "pipelines")}"));
        var page = $"datasets/acteurs/{Version}/index.html";
        Assert.DoesNotContain("\"charts\"", File.ReadAllText(site.Path("datasets", "acteurs", Version, "datapackage.json")), StringComparison.Ordinal);

        // The bar of « tpe » taken off the drawing and the description, as an older build that did
        // not draw it would have left them: sound.
        var file = site.Path(page.Split('/'));
        var html = File.ReadAllText(file);
        var bar = Regex.Match(html, @"<text[^>]*text-anchor=""end""[^>]*>tpe</text>\s*<rect\s[^>]*/>\s*<text[^>]*>(?<count>[0-9]+)</text>");
        Assert.True(bar.Success, "the undeclared chart draws the raw value tpe");
        var item = $"tpe : {bar.Groups["count"].Value} ; ";
        Assert.Single(Regex.Matches(html, Regex.Escape(item)));
        File.WriteAllText(file, html.Replace(bar.Value, "", StringComparison.Ordinal).Replace(item, "", StringComparison.Ordinal));
        Assert.Equal(0, await site.RunAsync("verify", $"--Pipeline:Directory={Path.Combine(repo, "pipelines")}"));
        Assert.Empty(Findings(site, "error"));
        Assert.Empty(Findings(site, "warning"));

        // A count shown that the data do not give is still an error.
        Edit(site, page, "fill=\"#1b1f24\">97</text>", "fill=\"#1b1f24\">98</text>"); // pme, drawn
        Assert.Equal(1, await site.RunAsync("verify", $"--Pipeline:Directory={Path.Combine(repo, "pipelines")}"));
        Assert.Equal([$"error: {page}: chart 'Par type d'acteur': bar 'pme' says 98, the version's acteurs.csv gives 97. {VersionPageRemedy}"], Findings(site, "error"));
    }

    /// <summary>
    /// A chart the version's package does not declare, drawn on its page (pasted from another
    /// page, or by a faulty build), states counts nobody can check against the data: an error.
    /// </summary>
    [Fact]
    public async Task A_chart_the_data_do_not_give_shown_on_a_version_page_is_an_error()
    {
        using var site = await PublishedAsync();
        var page = $"datasets/acteurs/{Version}/index.html";
        Edit(site, page, "<h3>Par département</h3>", "<h3>Par région</h3>\n<figure><svg class=\"chart\"><desc>Occitanie : 237.</desc></svg></figure>\n<h3>Par département</h3>");

        Assert.Equal(1, await site.RunAsync("verify"));

        Assert.Contains(Findings(site, "error"), e => e.StartsWith($"error: {page}: shows chart 'Par région', which the version's acteurs.csv does not give (", StringComparison.Ordinal));
    }

    /// <summary>
    /// A template that draws a chart otherwise (its heading with a class) or leaves the map's table
    /// out: the page states none of those counts, so none disagrees with the data. An error would
    /// stand on every page for good, since each publish renders them the same.
    /// </summary>
    [Fact]
    public async Task A_chart_or_the_map_table_that_a_template_leaves_out_is_a_warning_not_damage()
    {
        using var site = new DemoSite();
        var custom = site.Temp("templates");
        Directory.CreateDirectory(custom);
        var template = File.ReadAllText(Path.Combine(Repo.Templates, "dataset.html"));
        var changed = template.Replace("<summary>Les chiffres de la carte</summary>", "<summary>Tableau de la carte</summary>", StringComparison.Ordinal);
        Assert.NotEqual(template, changed);
        var heading = Regex.Match(changed, @"<h3>\{\{ c\.title \}\}</h3>");
        Assert.True(heading.Success, "dataset.html heads each declared chart with <h3>{{ c.title }}</h3>");
        changed = changed.Replace(heading.Value, "<h3 class=\"chart-title\">{{ c.title }}</h3>", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(custom, "dataset.html"), changed);
        Assert.Equal(0, await site.RunAsync("publish", $"--Site:Templates={custom}"));

        Assert.Equal(0, await site.RunAsync("verify", $"--Site:Templates={custom}"));

        Assert.Empty(Findings(site, "error"));
        var warnings = Findings(site, "warning");
        Assert.Contains(warnings, w => w.StartsWith($"warning: datasets/acteurs/{Version}/index.html: chart 'Par type d'acteur' is not on the page (no <h3>Par type d'acteur</h3> followed by an <svg class=\"chart\">), though the version's acteurs.csv gives its ", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith($"warning: datasets/acteurs/{Version}/index.html: the map's table (« Les chiffres de la carte ») is not on the page, though it shows charts and the version's acteurs.csv gives counts by département (", StringComparison.Ordinal));
    }
}
