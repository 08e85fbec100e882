using System.Text.Json;
using Automotech.OpenData.Site;

namespace Automotech.OpenData.Tests.Site;

public class CitationTests
{
    private static readonly Uri BaseUrl = new("https://opendata.automotech.example/");

    [Fact]
    public void Citations_name_publisher_title_version_date_and_the_versioned_permalink()
    {
        var c = Citation.For(BaseUrl, "acteurs", "Acteurs {Occitanie} & co", "Automotech", "2026-11-25.2", new DateTimeOffset(2026, 11, 25, 23, 30, 0, TimeSpan.Zero));
        Assert.Equal("https://opendata.automotech.example/datasets/acteurs/2026-11-25.2/", c.Permalink);
        // 23:30 UTC is already the 26th in Paris: the date is the publication's Paris date.
        Assert.Equal("Automotech, « Acteurs {Occitanie} & co », version 2026-11-25.2, jeu de données publié le 26 novembre 2026, https://opendata.automotech.example/datasets/acteurs/2026-11-25.2/", c.French);
        Assert.Equal("Automotech. (2026). Acteurs {Occitanie} & co (Version 2026-11-25.2) [Jeu de données]. https://opendata.automotech.example/datasets/acteurs/2026-11-25.2/", c.Apa);
        Assert.StartsWith("@misc{automotech_acteurs_2026_11_25_2,\n  author = {{Automotech}},\n  title = {Acteurs (Occitanie) \\& co},", c.BibTex, StringComparison.Ordinal);
        Assert.EndsWith("url = {https://opendata.automotech.example/datasets/acteurs/2026-11-25.2/}\n}", c.BibTex, StringComparison.Ordinal);
    }

    [Fact]
    public void BibTeX_escapes_every_LaTeX_special_character_once()
    {
        var c = Citation.For(BaseUrl, "acteurs", @"50% _x #1 $2 ~a ^b \c & {d}", "A_B", "2026-11-25", new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), @"L~1 \ 2");
        Assert.Contains(@"  title = {50\% \_x \#1 \$2 \textasciitilde{}a \textasciicircum{}b \textbackslash{}c \& (d)},", c.BibTex, StringComparison.Ordinal);
        Assert.Contains(@"  author = {{A\_B}},", c.BibTex, StringComparison.Ordinal);
        Assert.Contains(@"  note = {Licence : L\textasciitilde{}1 \textbackslash{} 2}", c.BibTex, StringComparison.Ordinal);
        // The plain-text lines are not LaTeX: they keep the title as written.
        Assert.Contains(@"« 50% _x #1 $2 ~a ^b \c & {d} »", c.French, StringComparison.Ordinal);
    }

    [Fact]
    public void French_dates_write_the_first_of_the_month_as_1er()
    {
        var first = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        Assert.Contains("jeu de données publié le 1er décembre 2026, ", Citation.For(BaseUrl, "acteurs", "Acteurs", "Automotech", "2026-12-01", first).French, StringComparison.Ordinal);
        Assert.StartsWith("1er décembre 2026 à ", PublicationTime.Format(first), StringComparison.Ordinal);
        Assert.Equal("1er janvier 2027", PublicationTime.LongDate(new DateOnly(2027, 1, 1)));
        Assert.Equal("2 janvier 2027", PublicationTime.LongDate(new DateOnly(2027, 1, 2)));
        Assert.Equal("11 janvier 2027", PublicationTime.LongDate(new DateOnly(2027, 1, 11)));
        Assert.Equal("21 janvier 2027", PublicationTime.LongDate(new DateOnly(2027, 1, 21)));
        Assert.Equal("31 janvier 2027", PublicationTime.LongDate(new DateOnly(2027, 1, 31)));
    }

    [Fact]
    public void A_version_published_before_1er_was_written_keeps_its_citation_line()
    {
        // Its page, never rendered again, says "le 1 novembre 2026": the dataset's page, which
        // shows the latest version's citation on every run, must quote the same line.
        var c = Citation.For(BaseUrl, "acteurs", "Acteurs", "Automotech", "2026-11-01", new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero));
        Assert.Contains("jeu de données publié le 1 novembre 2026, ", c.French, StringComparison.Ordinal);
    }

    [Fact]
    public void A_citation_names_the_licence_when_given()
    {
        var c = Citation.For(BaseUrl, "acteurs", "Acteurs", "Automotech", "2026-11-25", new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), "Licence Ouverte / Etalab 2.0");
        Assert.EndsWith("/datasets/acteurs/2026-11-25/, licence Licence Ouverte / Etalab 2.0", c.French, StringComparison.Ordinal);
        Assert.EndsWith("/datasets/acteurs/2026-11-25/ Licence : Licence Ouverte / Etalab 2.0.", c.Apa, StringComparison.Ordinal);
        Assert.EndsWith("url = {https://opendata.automotech.example/datasets/acteurs/2026-11-25/},\n  note = {Licence : Licence Ouverte / Etalab 2.0}\n}", c.BibTex, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_org_never_gives_a_version_permalink_the_latest_files()
    {
        // Search engines merge descriptions by @id. The dataset's page lists the latest/ files,
        // which the next version replaces: under the version's permalink as @id, a crawl of that
        // page would tell that version 2026-11-25 is downloaded from latest/, bytes that change.
        var page = new DatasetPage
        {
            Id = "acteurs", Title = "Acteurs", Description = "d", Keywords = [],
            LicenceTitle = "L", LicenceUrl = "https://example.org/l", PublisherName = "P", ContactName = "C", Spatial = "S", UpdateFrequency = "hebdomadaire",
            Version = "2026-11-25", LatestVersion = "2026-11-25", Published = "", PublishedIso = "2026-11-25T16:30:00Z",
            Downloads = [new Download("acteurs.csv", "csv", "text/csv", 10, "10 octets", "ab", "latest/acteurs.csv", "2026-11-25/acteurs.csv")],
            Fields = [], PreviewHeaders = [], PreviewRows = [], Versions = [],
            Validation = new OpenData.Releases.ValidationSummary(), Privacy = new OpenData.Releases.PrivacySummary(),
        };
        var citation = Citation.For(BaseUrl, "acteurs", page.Title, "P", "2026-11-25", DateTimeOffset.UnixEpoch);

        using var latest = JsonDocument.Parse(SchemaOrg.Dataset(BaseUrl, page, citation).Html);
        Assert.Equal("https://opendata.automotech.example/datasets/acteurs/", latest.RootElement.GetProperty("@id").GetString());
        Assert.Equal("https://opendata.automotech.example/datasets/acteurs/latest/acteurs.csv", latest.RootElement.GetProperty("distribution")[0].GetProperty("contentUrl").GetString());
        Assert.Equal(citation.French, latest.RootElement.GetProperty("citation").GetString()); // what to cite is still the version

        using var version = JsonDocument.Parse(SchemaOrg.Dataset(BaseUrl, page, citation, versionPage: true).Html);
        Assert.Equal(citation.Permalink, version.RootElement.GetProperty("@id").GetString());
        Assert.Equal("https://opendata.automotech.example/datasets/acteurs/2026-11-25/acteurs.csv", version.RootElement.GetProperty("distribution")[0].GetProperty("contentUrl").GetString());
    }

    [Fact]
    public void Schema_org_json_cannot_close_its_script_element()
    {
        var page = new DatasetPage
        {
            Id = "x", Title = "</script><script>alert(1)</script>", Description = "\" onload=alert(1) <!--", Keywords = ["<b>"],
            LicenceTitle = "L", LicenceUrl = "https://example.org/l", PublisherName = "P", ContactName = "C", Spatial = "S", UpdateFrequency = "hebdomadaire",
            Version = "2026-11-25", LatestVersion = "2026-11-25", Published = "", PublishedIso = "2026-11-25T16:30:00Z",
            Downloads = [], Fields = [], PreviewHeaders = [], PreviewRows = [], Versions = [],
            Validation = new OpenData.Releases.ValidationSummary(), Privacy = new OpenData.Releases.PrivacySummary(),
        };
        var json = SchemaOrg.Dataset(BaseUrl, page, Citation.For(BaseUrl, "x", page.Title, "P", "2026-11-25", DateTimeOffset.UnixEpoch)).Html;
        Assert.DoesNotContain("<", json, StringComparison.Ordinal);
        Assert.DoesNotContain(">", json, StringComparison.Ordinal);
        using var parsed = JsonDocument.Parse(json);
        Assert.Equal("</script><script>alert(1)</script>", parsed.RootElement.GetProperty("name").GetString());
        Assert.Equal("Dataset", parsed.RootElement.GetProperty("@type").GetString());
    }
}
