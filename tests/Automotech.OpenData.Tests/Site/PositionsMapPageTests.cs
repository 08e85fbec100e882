using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Automotech.OpenData.Anonymisation;
using Automotech.OpenData.Releases;
using Automotech.OpenData.Site;

namespace Automotech.OpenData.Tests.Site;

/// <summary>
/// A dataset page's map for each set of fields the CSV has. Positions without a département field
/// (test tracks, schools with their coordinates only) got no map at all, while their GeoJSON was
/// published: they are now drawn on the départements' contours, unshaded, and nothing on the map,
/// its description, legend or caption claims a count by département. A département field without
/// positions keeps its shaded map without points; neither, no map.
/// </summary>
public sealed partial class PositionsMapPageTests
{
    private const string LatLon = """
        "geoFields": { "latitude": "lat", "longitude": "lon" },
        """;

    private const string Outlines = "Contours des départements d'Occitanie, sans teinte ni décompte par département : Ariège (09), Aude (11), Aveyron (12), Gard (30), Haute-Garonne (31), Gers (32), Hérault (34), Lot (46), Lozère (48), Hautes-Pyrénées (65), Pyrénées-Orientales (66), Tarn (81), Tarn-et-Garonne (82)";

    [Fact]
    public void Positions_without_a_departement_field_are_drawn_on_the_departements_outlines()
    {
        var page = Build(LatLon, "nom,lat,lon\r\nPiste,43.6,1.44\r\nSoufflerie,43.93,2.15\r\nSans position,,\r\n");

        var map = page.Map!.Html;
        Assert.Equal(2, Circles(map));
        Assert.Equal(13, Regex.Count(map, "<path "));

        // Outlines only: one fill for every département, none of the shades, and no count drawn on them.
        Assert.Equal(["#ffffff"], Fills(map));
        Assert.DoesNotContain("<text", map, StringComparison.Ordinal);
        Assert.Contains("<title>Haute-Garonne (31)</title>", map, StringComparison.Ordinal);
        Assert.DoesNotMatch(" : [0-9]", map);

        // Nothing by département: no bars, no legend of shades, no table of counts, no note of départements left out.
        Assert.Null(page.DepartementChart);
        Assert.Empty(page.MapLegend);
        Assert.Empty(page.CountsByDepartement);
        Assert.Null(page.MapNotDrawn);
        Assert.Null(page.MapSample);
    }

    [Fact]
    public void The_outline_maps_name_and_description_say_what_is_drawn()
    {
        var page = Build(LatLon, "nom,lat,lon\r\nPiste,43.6,1.44\r\nSoufflerie,43.93,2.15\r\nSans position,,\r\n");

        Assert.Equal("Carte des départements d'Occitanie : positions publiées (Sites)", Title(page.Map!.Html));
        Assert.Equal(Outlines + " ; 2 positions publiées, dessinées en points.", Desc(page.Map.Html));
    }

    [Fact]
    public void The_outline_map_samples_its_points_as_the_shaded_one_and_says_so()
    {
        var csv = new StringBuilder("nom,lat,lon\r\n");
        for (var i = 0; i < 6000; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"s{i},{43 + (i % 100 / 100.0)},{1 + (i % 200 / 100.0)}\r\n");
        }

        var page = Build(LatLon, csv.ToString());

        Assert.Equal(3000, Circles(page.Map!.Html));
        Assert.Equal($"3{Nnbsp}000 points dessinés sur 6{Nnbsp}000 positions (une ligne sur 2, dans l'ordre du fichier)", page.MapSample);
        Assert.Equal(Outlines + $" ; 3{Nnbsp}000 points dessinés sur 6{Nnbsp}000 positions (une ligne sur 2, dans l'ordre du fichier).", Desc(page.Map.Html));
    }

    [Fact]
    public void A_position_outside_the_maps_frame_is_not_drawn_and_the_map_says_so()
    {
        // Paris and Lyon are outside the frame of Occitanie's départements; Toulouse is inside.
        var page = Build(LatLon, "nom,lat,lon\r\nParis,48.85,2.35\r\nToulouse,43.6,1.44\r\nLyon,45.76,4.83\r\n");

        Assert.Equal(1, Circles(page.Map!.Html));
        Assert.Equal("2 points hors du cadre de la carte, non dessinés", page.MapNotDrawn);
        Assert.Equal(Outlines + " ; 3 positions publiées ; 2 points hors du cadre de la carte, non dessinés.", Desc(page.Map.Html));
    }

    [Fact]
    public void Positions_all_outside_the_frame_leave_the_outlines_without_a_point_and_say_so()
    {
        var page = Build(LatLon, "nom,lat,lon\r\nParis,48.85,2.35\r\n");

        Assert.Equal(0, Circles(page.Map!.Html));
        Assert.Equal("1 point hors du cadre de la carte, non dessiné", page.MapNotDrawn);
        Assert.Equal(Outlines + " ; 1 position publiée ; 1 point hors du cadre de la carte, non dessiné.", Desc(page.Map.Html));
    }

    [Fact]
    public void The_outline_maps_sample_counts_as_drawn_only_the_points_inside_the_frame()
    {
        // 6,000 rows, one in two drawn; the 60 in Paris are all among them, outside the frame.
        var page = Build(LatLon, SampledCsv("nom,lat,lon", i => i % 100 == 0 ? $"Paris{i},48.85,2.35" : $"s{i},43.6,1.44"));

        Assert.Equal(2940, Circles(page.Map!.Html));
        Assert.Equal($"2{Nnbsp}940 points dessinés sur 6{Nnbsp}000 positions (une ligne sur 2, dans l'ordre du fichier)", page.MapSample);
        Assert.Equal("60 points hors du cadre de la carte, non dessinés", page.MapNotDrawn);
        Assert.Equal(Outlines + $" ; 2{Nnbsp}940 points dessinés sur 6{Nnbsp}000 positions (une ligne sur 2, dans l'ordre du fichier) ; 60 points hors du cadre de la carte, non dessinés.", Desc(page.Map.Html));
    }

    private const string Shaded = """
        "geoFields": { "latitude": "lat", "longitude": "lon", "departement": "dep" },
        """;

    /// <summary>The shaded map's description of the départements' counts, 2 in Haute-Garonne and 1 in Tarn.</summary>
    private const string Counts = "Ariège (09) : 0 ; Aude (11) : 0 ; Aveyron (12) : 0 ; Gard (30) : 0 ; Haute-Garonne (31) : 2 ; Gers (32) : 0 ; Hérault (34) : 0 ; Lot (46) : 0 ; Lozère (48) : 0 ; Hautes-Pyrénées (65) : 0 ; Pyrénées-Orientales (66) : 0 ; Tarn (81) : 1 ; Tarn-et-Garonne (82) : 0";

    [Fact]
    public async Task The_shaded_maps_points_all_inside_the_frame_are_all_drawn_and_nothing_is_said_of_the_frame()
    {
        var page = Build(Shaded, "dep,lat,lon\r\n31,43.6,1.44\r\n31,43.65,1.38\r\n81,43.93,2.15\r\n");

        Assert.Equal(3, Circles(page.Map!.Html));
        Assert.Equal(Counts + ".", Desc(page.Map.Html));
        Assert.Null(page.MapNotDrawn);
        Assert.Null(page.MapSample);
        var html = await RenderAsync(page);
        Assert.Contains("<figcaption>Départements d'Occitanie teintés selon le nombre de lignes ; points : positions publiées. Contours : IGN Admin Express, simplifiés.</figcaption>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("hors du cadre", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_position_outside_the_frame_is_not_drawn_on_the_shaded_map_and_the_map_says_so()
    {
        // A row of Haute-Garonne whose position is in Paris (a data error): counted in its département, its point not drawn.
        var page = Build(Shaded, "dep,lat,lon\r\n31,43.6,1.44\r\n31,48.85,2.35\r\n81,43.93,2.15\r\n");

        Assert.Equal(2, Circles(page.Map!.Html));
        Assert.Equal("1 point hors du cadre de la carte, non dessiné", page.MapNotDrawn);
        Assert.Equal(Counts + " ; 1 point hors du cadre de la carte, non dessiné.", Desc(page.Map.Html));
        Assert.Contains("<figcaption>Départements d'Occitanie teintés selon le nombre de lignes ; points : positions publiées ; 1 point hors du cadre de la carte, non dessiné. Contours : IGN Admin Express, simplifiés.</figcaption>", await RenderAsync(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Positions_outside_the_frame_are_not_drawn_on_the_shaded_map_and_the_map_says_how_many()
    {
        // Members in Paris and Lyon: their départements and their points are both left out, and both said.
        var page = Build(Shaded, "dep,lat,lon\r\n31,43.6,1.44\r\n75,48.85,2.35\r\n31,43.65,1.38\r\n69,45.76,4.83\r\n81,43.93,2.15\r\n");

        Assert.Equal(3, Circles(page.Map!.Html));
        Assert.Equal("départements hors de la carte, non dessinés ni pris dans l'échelle des teintes : 69 : 1, 75 : 1 ; 2 points hors du cadre de la carte, non dessinés", page.MapNotDrawn);
        Assert.Equal(Counts + " ; 2 points hors du cadre de la carte, non dessinés.", Desc(page.Map.Html));
        Assert.Contains("<figcaption>Départements d'Occitanie teintés selon le nombre de lignes ; points : positions publiées ; départements hors de la carte, non dessinés ni pris dans l&#x27;échelle des teintes : 69 : 1, 75 : 1 ; 2 points hors du cadre de la carte, non dessinés. Contours : IGN Admin Express, simplifiés.</figcaption>", await RenderAsync(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shaded_maps_sample_and_its_points_outside_the_frame_are_said_together()
    {
        // 6,000 rows, one in two drawn; the 60 in Paris (counted in Haute-Garonne) are all among them, outside the frame.
        var page = Build(Shaded, SampledCsv("dep,lat,lon", i => i % 100 == 0 ? "31,48.85,2.35" : "31,43.6,1.44"));

        Assert.Equal(2940, Circles(page.Map!.Html));
        Assert.Equal($"2{Nnbsp}940 points dessinés sur 6{Nnbsp}000 positions (une ligne sur 2, dans l'ordre du fichier)", page.MapSample);
        Assert.Equal("60 points hors du cadre de la carte, non dessinés", page.MapNotDrawn);
        // A screen reader hears the description, not the caption: it says too that only a sample is drawn.
        Assert.EndsWith($"Haute-Garonne (31) : 6{Nnbsp}000 ; Gers (32) : 0 ; Hérault (34) : 0 ; Lot (46) : 0 ; Lozère (48) : 0 ; Hautes-Pyrénées (65) : 0 ; Pyrénées-Orientales (66) : 0 ; Tarn (81) : 0 ; Tarn-et-Garonne (82) : 0 ; 2{Nnbsp}940 points dessinés sur 6{Nnbsp}000 positions (une ligne sur 2, dans l'ordre du fichier) ; 60 points hors du cadre de la carte, non dessinés.", System.Net.WebUtility.HtmlDecode(Desc(page.Map.Html)), StringComparison.Ordinal);
        Assert.Contains($"<figcaption>Départements d'Occitanie teintés selon le nombre de lignes ; points : positions publiées ; 2{Nnbsp}940 points dessinés sur 6{Nnbsp}000 positions (une ligne sur 2, dans l'ordre du fichier) ; 60 points hors du cadre de la carte, non dessinés. Contours : IGN Admin Express, simplifiés.</figcaption>", System.Net.WebUtility.HtmlDecode(await RenderAsync(page)), StringComparison.Ordinal);
    }

    /// <summary>A CSV of 6,000 rows, row i written by <paramref name="row"/>: one row in two is drawn.</summary>
    private static string SampledCsv(string header, Func<int, string> row)
    {
        var csv = new StringBuilder(header).Append("\r\n");
        for (var i = 0; i < 6000; i++)
        {
            csv.Append(row(i)).Append("\r\n");
        }

        return csv.ToString();
    }

    [Fact]
    public void The_outline_maps_note_on_precision_reads_the_rules_of_the_declared_latitude()
    {
        var page = Build(LatLon, "lat,lon\r\n43.6,1.44\r\n", [new("lat", "coarsen", PrivacyRule.AllRows, "position ramenée au centre de la commune")]);

        Assert.NotNull(page.Map);
        Assert.Equal("points : positions publiées (toutes les lignes : position ramenée au centre de la commune)", page.MapPositionNote);
    }

    [Fact]
    public async Task The_outline_map_and_its_caption_are_rendered_without_counts_by_departement()
    {
        var html = await RenderAsync(Build(LatLon, "nom,lat,lon\r\nPiste,43.6,1.44\r\n"));

        Assert.Contains("<h3>Carte</h3>", html, StringComparison.Ordinal);
        Assert.Contains("<figcaption>Contours des départements d'Occitanie, sans teinte : aucune ligne n'y est comptée, le fichier CSV n'ayant pas de colonne <code>code_departement</code> renseignée ; points : positions publiées. Contours : IGN Admin Express, simplifiés.</figcaption>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("teintés selon", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Légende", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Les chiffres de la carte", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Par département", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_departement_field_without_positions_keeps_its_shaded_map_without_points()
    {
        var page = Build("""
            "geoFields": { "departement": "dep" },
            """, "dep\r\n31\r\n81\r\n31\r\n");

        var map = page.Map!.Html;
        Assert.Equal(0, Circles(map));
        Assert.Equal("Carte des départements d'Occitanie : nombre de lignes et positions publiées (Sites)", Title(map));
        Assert.StartsWith("Ariège (09) : 0 ; ", Desc(map), StringComparison.Ordinal);
        Assert.Contains("Haute-Garonne (31) : 2 ; ", Desc(map), StringComparison.Ordinal);
        Assert.NotEmpty(page.MapLegend);
        Assert.Equal("Haute-Garonne (31) : 2 ; Tarn (81) : 1.", Desc(page.DepartementChart!.Html));
        Assert.Equal(2, page.CountsByDepartement.Count);

        var html = await RenderAsync(page);
        Assert.Contains("<figcaption>Départements d'Occitanie teintés selon le nombre de lignes ; points : positions publiées. Contours : IGN Admin Express, simplifiés.</figcaption>", html, StringComparison.Ordinal);
        Assert.Contains("Les chiffres de la carte", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Neither_positions_nor_departements_draw_no_map()
    {
        var page = Build(LatLon, "nom,lat,lon\r\nSans position,,\r\n");

        Assert.Null(page.Map);
        Assert.Null(page.DepartementChart);
        Assert.Null(page.MapSample);
        Assert.DoesNotContain("<h3>Carte</h3>", await RenderAsync(page), StringComparison.Ordinal);
    }

    private const char Nnbsp = '\u202F';

    private static DatasetReleases Releases(List<PrivacyRule>? rules = null) => MapPages.Releases(rules);

    private static DatasetPage Build(string geoFields, string csv, List<PrivacyRule>? rules = null) => MapPages.Build(geoFields, csv, rules);

    /// <summary>The version's page rendered with the built-in templates, as the site writes it.</summary>
    private static async Task<string> RenderAsync(DatasetPage page)
    {
        var manifest = new ReleaseManifest();
        manifest.Datasets.Add(Releases());
        using var temp = new TempFolder();
        var tree = new Automotech.OpenData.Publishing.StagedTree(temp.Combine("tree"));
        await new SiteRenderer(null).RenderAsync(new SiteModel([page]), [page], manifest, new Uri("https://opendata.automotech.example/"), tree, CancellationToken.None);
        return File.ReadAllText(tree.LocalPath("datasets/sites/2026-11-27/index.html"));
    }

    private static int Circles(string svg) => MapPages.Circles(svg);

    private static List<string> Fills(string svg) => [.. FillPattern().Matches(svg).Select(m => m.Groups[1].Value).Distinct()];

    private static string Title(string svg) => System.Net.WebUtility.HtmlDecode(TitlePattern().Match(svg).Groups[1].Value);

    private static string Desc(string svg) => MapPages.Desc(svg);

    [GeneratedRegex("<path [^>]*fill=\"([^\"]+)\"")]
    private static partial Regex FillPattern();

    [GeneratedRegex("<title id=\"[^\"]+\">([^<]*)</title>")]
    private static partial Regex TitlePattern();

}
