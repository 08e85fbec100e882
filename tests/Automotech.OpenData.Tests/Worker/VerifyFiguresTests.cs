using System.Text.RegularExpressions;
using Automotech.OpenData.Publishing;
using Automotech.OpenData.Tests.EndToEnd;
using Automotech.OpenData.Tests.Publishing;
using static Automotech.OpenData.Tests.Worker.PublishedPages;

namespace Automotech.OpenData.Tests.Worker;

/// <summary>
/// <c>verify</c> on what the pages say: the key figures a journalist cites must be those the
/// version's CSV gives, by its <c>datapackage.json</c>'s definitions. No manifest hashes a page, so
/// a version page, a dataset's stable page or the home page whose figure differs, or that lacks a
/// declared figure, is an error naming the page, the figure, what it says and what the data give;
/// a page rendered from templates without key figures is a warning; the CSV is read once more,
/// and only when it is sound.
/// </summary>
public sealed class VerifyFiguresTests
{
    private const string Version = PublishedPages.Version; // System.Version would be ambiguous

    [Fact]
    public async Task A_version_page_whose_figure_is_edited_by_one_digit_is_an_error_giving_both_values()
    {
        using var site = await PublishedAsync();
        var page = $"datasets/acteurs/{Version}/index.html";
        Edit(site, page, "id=\"chiffre-adherents\"><span class=\"value\">180</span>", "id=\"chiffre-adherents\"><span class=\"value\">181</span>");

        Assert.Equal(1, await site.RunAsync("verify"));

        Assert.Equal([$"error: {page}: key figure 'adherents' says 181, the version's acteurs.csv gives 180. {VersionPageRemedy}"], Findings(site, "error"));
        Assert.Empty(Findings(site, "warning"));
        Assert.EndsWith("1 error(s), 0 warning(s): damaged.", Lines(site.Output)[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_figure_removed_from_a_version_page_is_an_error_and_the_page_rendered_again_by_the_next_publish_is_sound()
    {
        using var site = await PublishedAsync();
        var page = $"datasets/acteurs/{Version}/index.html";
        var file = site.Path(page.Split('/'));
        var original = File.ReadAllText(file);
        var figure = Regex.Match(original, "<li id=\"chiffre-prospects\">.*?</li>\n", RegexOptions.Singleline);
        Assert.True(figure.Success);
        File.WriteAllText(file, original.Remove(figure.Index, figure.Length));

        Assert.Equal(1, await site.RunAsync("verify"));

        var errors = Findings(site, "error");
        Assert.Equal(2, errors.Count);
        Assert.Contains($"error: {page}: key figure 'prospects' (Acteurs identifiés non adhérents), which the version's datapackage.json declares, is not on the page (no element with id 'chiffre-prospects'); the version's acteurs.csv gives 57. {VersionPageRemedy}", errors);
        Assert.Contains(errors, e => e.StartsWith($"error: datasets/acteurs/index.html: links to '{Version}/index.html#chiffre-prospects', but {page} has no element with id 'chiffre-prospects'", StringComparison.Ordinal)); // the links' check, as before

        // The remedy said: the page deleted, the next publish renders it from the version's files.
        File.Delete(file);
        Assert.Equal(0, await site.RunAsync("publish"));
        Assert.Equal(original, File.ReadAllText(file));
        Assert.Equal(0, await site.RunAsync("verify"));
        Assert.Empty(Findings(site, "error"));
        Assert.Empty(Findings(site, "warning"));
    }

    [Fact]
    public async Task A_restored_page_whose_figures_agree_with_the_CSV_is_sound_whatever_the_spaces_between_thousands()
    {
        // A page restored from a backup, or rendered by an older build, writes its numbers with
        // other spaces between thousands (none, or a no-break space): the same figures.
        using var site = await PublishedAsync();
        var page = $"datasets/chiffres-cles/{Version}/index.html";
        Edit(site, page, "<span class=\"value\">10&#x202F;687</span>", "<span class=\"value\">10687</span>");
        Edit(site, page, "<span class=\"value long\">1&#x202F;979&#x202F;701&#x202F;000&#xA0;€</span>", "<span class=\"value long\">1&#xA0;979&#xA0;701&#xA0;000 €</span>");

        Assert.Equal(0, await site.RunAsync("verify"));

        Assert.Empty(Findings(site, "error"));
        Assert.Empty(Findings(site, "warning"));
    }

    /// <summary>
    /// The home page gives each figure for the version its « Source » link names, which must be the
    /// newest; a figure whose id the version does not declare is one nobody can check.
    /// </summary>
    [Fact]
    public async Task A_home_figure_given_for_an_older_version_and_a_figure_no_package_declares_are_errors()
    {
        using var site = await PublishedAsync();
        Edit(site, "index.html", $"Source : <a href=\"datasets/chiffres-cles/{Version}/index.html#chiffre-effectif\">chiffres-cles, version {Version}</a>",
            "Source : <a href=\"datasets/chiffres-cles/2026-11-20/index.html#chiffre-effectif\">chiffres-cles, version 2026-11-20</a>");
        var page = $"datasets/acteurs/{Version}/index.html";
        Edit(site, page, "<li id=\"chiffre-prospects\">", "<li id=\"chiffre-inventes\">");

        Assert.Equal(1, await site.RunAsync("verify"));

        var errors = Findings(site, "error");
        Assert.Contains(errors, e => e.StartsWith("error: index.html: key figure 'effectif' says ", StringComparison.Ordinal) && e.Contains($" for version 2026-11-20 of 'chiffres-cles' (its source), where releases.json's newest is {Version}", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"error: {page}: shows key figure 'inventes' (", StringComparison.Ordinal) && e.Contains("which the version's datapackage.json does not declare", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_figure_edited_on_the_stable_page_or_the_home_page_is_an_error_and_the_next_publish_mends_it()
    {
        using var site = await PublishedAsync();
        Edit(site, "datasets/chiffres-cles/index.html", "<span class=\"value\">10&#x202F;687</span>", "<span class=\"value\">10&#x202F;697</span>");
        Edit(site, "index.html", "<span class=\"value long\">1&#x202F;979&#x202F;701&#x202F;000&#xA0;€</span>", "<span class=\"value long\">1&#x202F;979&#x202F;701&#x202F;001&#xA0;€</span>");

        Assert.Equal(1, await site.RunAsync("verify"));

        Assert.Equal(
            [
                "error: index.html: key figure 'chiffre-affaires' says 1 979 701 001 €, version 2026-11-25 of 'chiffres-cles' (chiffres-cles.csv) gives 1 979 701 000 €. The next publish writes it again.",
                "error: datasets/chiffres-cles/index.html: key figure 'effectif' says 10 697, the newest version's (2026-11-25) chiffres-cles.csv gives 10 687. The next publish writes it again.",
            ],
            Findings(site, "error"));

        Assert.Equal(0, await site.RunAsync("publish"));
        Assert.Equal(0, await site.RunAsync("verify"));
        Assert.Empty(Findings(site, "error"));
    }

    [Fact]
    public async Task A_home_page_missing_a_figure_of_the_newest_aggregate_is_an_error()
    {
        using var site = await PublishedAsync();
        var file = site.Path("index.html");
        var html = File.ReadAllText(file);
        var figure = Regex.Match(html, "<li id=\"chiffre-effectif\">.*?</li>\n", RegexOptions.Singleline);
        Assert.True(figure.Success);
        File.WriteAllText(file, html.Remove(figure.Index, figure.Length));

        Assert.Equal(1, await site.RunAsync("verify"));

        Assert.Equal(
            ["error: index.html: does not show key figure 'effectif' (Salariés) of 'chiffres-cles', read from a column of version 2026-11-25, the newest (chiffres-cles.csv gives 10 687): the home page shows every such figure. The next publish writes it again."],
            Findings(site, "error"));
    }

    [Fact]
    public async Task A_damaged_CSV_is_said_once_and_the_figures_of_its_pages_are_not_compared_with_it()
    {
        // An adherent turned prospect, the same size: its sha256 differs. The pages are the
        // published ones: comparing them with altered data would blame the pages.
        using var site = await PublishedAsync();
        var csv = $"datasets/acteurs/{Version}/acteurs.csv";
        var file = site.Path(csv.Split('/'));
        var text = File.ReadAllText(file);
        var at = text.IndexOf(",adherent,", StringComparison.Ordinal);
        Assert.True(at > 0);
        File.WriteAllText(file, string.Concat(text.AsSpan(0, at), ",prospect,", text.AsSpan(at + ",adherent,".Length)));

        Assert.Equal(1, await site.RunAsync("verify"));

        var error = Assert.Single(Findings(site, "error"));
        Assert.StartsWith($"error: {csv}: sha256 differs: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_rendered_from_templates_without_key_figures_are_warnings_not_damage()
    {
        // A Site:Templates copy of dataset.html and index.html made before key figures existed
        // (72f53cd): the pages state no figure, so none disagrees with the data.
        using var site = new DemoSite();
        var custom = site.Temp("old-templates");
        Directory.CreateDirectory(custom);
        var dataset = File.ReadAllText(Path.Combine(Repo.Templates, "dataset.html"));
        var withoutFigures = Regex.Replace(dataset, @"\{\{ if dataset\.key_figures\.size > 0 \}\}.*?</section>\n\{\{ end \}\}\n", "", RegexOptions.Singleline);
        Assert.DoesNotContain("chiffre-", withoutFigures, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(custom, "dataset.html"), withoutFigures);
        var index = File.ReadAllText(Path.Combine(Repo.Templates, "index.html"));
        var homeWithoutFigures = Regex.Replace(index, @"\{\{ if site\.home_figures\.size > 0 \}\}.*?</section>\n\{\{ end \}\}\n", "", RegexOptions.Singleline);
        Assert.DoesNotContain("chiffre-", homeWithoutFigures, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(custom, "index.html"), homeWithoutFigures);
        Assert.Equal(0, await site.RunAsync("publish", $"--Site:Templates={custom}"));

        Assert.Equal(0, await site.RunAsync("verify", $"--Site:Templates={custom}"));

        Assert.Empty(Findings(site, "error"));
        var warnings = Findings(site, "warning");
        Assert.Equal(7, warnings.Count); // each dataset's version page and stable page, and the home page
        Assert.Contains(
            $"warning: datasets/acteurs/{Version}/index.html: shows none of the 4 key figure(s) its version's datapackage.json declares (no element with an id 'chiffre-…'): "
            + "every build that declares key figures renders them (since 72f53cd, 2026-11-25), so the page was rendered from a dataset.html of Site:Templates without them, or replaced by hand; "
            + "it states no figure, so none disagrees with the data. Nothing to repair; to show them, delete the page and publish again with templates that do.",
            warnings);
        Assert.Contains(warnings, w => w.StartsWith("warning: datasets/sirene-automobile/index.html: shows none of the 2 key figure(s) of version 2026-11-25, the newest ", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("warning: index.html: shows none of the 4 key figure(s) read from a column of the datasets' newest versions ('adherents' of 'chiffres-cles', ", StringComparison.Ordinal));
        Assert.EndsWith("0 error(s), 7 warning(s): sound.", Lines(site.Output)[^1], StringComparison.Ordinal);
    }
}
