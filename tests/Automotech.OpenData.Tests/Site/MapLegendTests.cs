using System.Text;
using System.Text.RegularExpressions;
using Automotech.OpenData.Releases;
using Automotech.OpenData.Site;

namespace Automotech.OpenData.Tests.Site;

/// <summary>
/// The map shades each département by its count: a reader needs the legend to know what a shade
/// means. Its ranges come from the version's own counts and say exactly which counts each shade
/// stands for, in French figures, and how many départements have it.
/// </summary>
public sealed partial class MapLegendTests
{
    private const char Nnbsp = '\u202F';

    [Fact]
    public void The_legend_gives_each_shades_counts_from_the_versions_largest_count()
    {
        // Haute-Garonne 10, Hérault 4, Tarn 1, the ten others 0: five equal steps up to 10.
        var page = Build(("31", 10), ("34", 4), ("81", 1));
        Assert.Equal(
            ["0 : 10", "1 à 2 : 1", "3 à 4 : 1", "5 à 6 : 0", "7 à 8 : 0", "9 à 10 : 1"],
            page.MapLegend.Select(s => $"{s.Counts} : {s.Departements}"));
        var fills = Fills(page);
        Assert.Equal(page.MapLegend[0].Fill, fills["09"]);
        Assert.Equal(page.MapLegend[1].Fill, fills["81"]);
        Assert.Equal(page.MapLegend[2].Fill, fills["34"]);
        Assert.Equal(page.MapLegend[5].Fill, fills["31"]);
        Assert.Equal(6, page.MapLegend.Select(s => s.Fill).Distinct().Count());
    }

    [Fact]
    public void A_count_outside_the_drawn_departements_neither_sets_the_scale_nor_goes_unmentioned()
    {
        // Paris's 500 once set the scale: Haute-Garonne's 10 took the lightest blue, and the
        // legend's four upper shades stood for counts no drawn département had.
        var page = Build(("31", 10), ("34", 4), ("81", 1), ("75", 500), ("69", 3));
        Assert.Equal(
            ["0 : 10", "1 à 2 : 1", "3 à 4 : 1", "5 à 6 : 0", "7 à 8 : 0", "9 à 10 : 1"],
            page.MapLegend.Select(s => $"{s.Counts} : {s.Departements}"));
        var fills = Fills(page);
        Assert.Equal(page.MapLegend[5].Fill, fills["31"]);
        Assert.False(fills.ContainsKey("75"));
        Assert.Equal("départements hors de la carte, non dessinés ni pris dans l'échelle des teintes : 75 : 500, 69 : 3", page.MapNotDrawn);

        // The table of the map's figures still lists them.
        Assert.Contains(page.CountsByDepartement, c => c.Name == "75" && c.Count == 500);
    }

    [Fact]
    public void A_map_that_draws_every_counted_row_says_nothing_of_departements_left_out()
    {
        Assert.Null(Build(("31", 10), ("34", 4)).MapNotDrawn);
        Assert.Equal("un département hors de la carte, non dessiné ni pris dans l'échelle des teintes : 2A : 1", Build(("31", 2), ("2A", 1)).MapNotDrawn);
    }

    [Fact]
    public async Task The_maps_caption_says_what_it_leaves_out_with_the_codes_escaped()
    {
        var page = Build(("31", 10), ("<i>99</i>", 2));
        var manifest = new ReleaseManifest();
        manifest.Datasets.Add(Releases());
        using var temp = new TempFolder();
        var tree = new Automotech.OpenData.Publishing.StagedTree(temp.Combine("tree"));
        await new SiteRenderer(null).RenderAsync(new SiteModel([page]), [page], manifest, new Uri("https://opendata.automotech.example/"), tree, CancellationToken.None);
        var html = File.ReadAllText(tree.LocalPath("datasets/acteurs/2026-11-27/index.html"));
        var caption = Regex.Match(html, "<figcaption>Départements d'Occitanie teintés[^<]*</figcaption>");
        Assert.True(caption.Success, "the map's caption, with no markup in it");
        // In the source, no markup inside the caption; as a browser shows it, the code as it was counted.
        Assert.EndsWith(" ; un département hors de la carte, non dessiné ni pris dans l'échelle des teintes : <i>99</i> : 2. Contours : IGN Admin Express, simplifiés.</figcaption>", System.Net.WebUtility.HtmlDecode(caption.Value), StringComparison.Ordinal);
        Assert.DoesNotContain("<i>99", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Below_five_a_shade_no_whole_count_reaches_is_left_out_rather_than_given_an_empty_range()
    {
        // With 3 at most, 1 is the second shade, 2 the fourth, 3 the fifth: the first and third
        // shades would read "1 à 0" and "2 à 1".
        var page = Build(("31", 3), ("34", 2), ("81", 1));
        Assert.Equal(["0 : 10", "1 : 1", "2 : 1", "3 : 1"], page.MapLegend.Select(s => $"{s.Counts} : {s.Departements}"));
        var fills = Fills(page);
        Assert.Equal([fills["09"], fills["81"], fills["34"], fills["31"]], page.MapLegend.Select(s => s.Fill));
    }

    [Fact]
    public void Large_counts_are_written_in_French_figures()
    {
        var page = Build(("31", 12_000), ("34", 2_401));
        Assert.Equal($"1 à 2{Nnbsp}400", page.MapLegend[1].Counts);
        Assert.Equal($"2{Nnbsp}401 à 4{Nnbsp}800", page.MapLegend[2].Counts);
        Assert.Equal($"9{Nnbsp}601 à 12{Nnbsp}000", page.MapLegend[^1].Counts);
        Assert.Equal(1, page.MapLegend[2].Departements);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(11)]
    [InlineData(85)] // acteurs' Haute-Garonne in the demo
    public void Every_count_from_0_to_the_largest_falls_in_the_one_range_whose_shade_the_map_gives_it(int max)
    {
        for (var count = 0; count <= max; count++)
        {
            var page = Build(("31", max), ("34", count));
            var shades = page.MapLegend.Where(s => Contains(s.Counts, count)).ToList();
            Assert.True(shades.Count == 1, $"{count} of {max}: in {shades.Count} ranges of {string.Join(", ", page.MapLegend.Select(s => s.Counts))}");
            Assert.Equal(shades[0].Fill, Fills(page)["34"]);
        }
    }

    [Fact]
    public void A_dataset_without_departements_has_no_map_and_no_legend()
    {
        var page = DatasetPageBuilder.Build(Package(), Releases(), Releases().Latest!, Csv("type_acteur\r\npme\r\n"));
        Assert.Null(page.Map);
        Assert.Empty(page.MapLegend);
    }

    /// <summary>Whether "a à b" (or "a") holds the count.</summary>
    private static bool Contains(string range, long count)
    {
        var bounds = range.Split(" à ").Select(b => long.Parse(b.Replace(Nnbsp.ToString(), "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return count >= bounds[0] && count <= bounds[^1];
    }

    /// <summary>Each département's fill on the map, by code (from its shape's title, "Hérault (34) : 4").</summary>
    private static Dictionary<string, string> Fills(DatasetPage page) =>
        ShapeFill().Matches(page.Map!.Html).ToDictionary(m => m.Groups[2].Value, m => m.Groups[1].Value);

    private static DatasetPage Build(params (string Departement, int Count)[] counts)
    {
        var csv = new StringBuilder("code_departement\r\n");
        foreach (var (departement, count) in counts)
        {
            for (var i = 0; i < count; i++)
            {
                csv.Append(departement).Append("\r\n");
            }
        }

        return DatasetPageBuilder.Build(Package(), Releases(), Releases().Latest!, Csv(csv.ToString()));
    }

    private static MemoryStream Csv(string text) => new(Encoding.UTF8.GetBytes(text));

    private static MemoryStream Package() => Csv("""
        {
          "title": "Acteurs", "description": "d",
          "licenses": [{ "name": "etalab-2.0", "title": "Licence Ouverte", "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" }],
          "contributors": [{ "title": "Automotech", "role": "publisher" }],
          "resources": [{ "name": "acteurs", "path": "acteurs.csv", "schema": { "fields": [{ "name": "code_departement", "type": "string" }] } }]
        }
        """);

    private static DatasetReleases Releases()
    {
        var releases = new DatasetReleases { Id = "acteurs", Title = "Acteurs" };
        releases.Versions.Add(new ReleaseVersion { Version = "2026-11-27", Published = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero), Rows = 1 });
        return releases;
    }

    [GeneratedRegex("<path [^>]*fill=\"(#[0-9a-f]{6})\"[^>]*><title>[^<]* \\(([0-9AB]{2,3})\\) : ")]
    private static partial Regex ShapeFill();
}
