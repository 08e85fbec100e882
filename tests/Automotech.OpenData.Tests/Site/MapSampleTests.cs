using System.Text;
using System.Text.RegularExpressions;
using Automotech.OpenData.Releases;
using Automotech.OpenData.Site;

namespace Automotech.OpenData.Tests.Site;

/// <summary>
/// The map draws at most <see cref="DatasetFigures.MaxPoints"/> points. Past that, a reader must
/// not see a map of the file's first rows (a file sorted by département would leave whole
/// départements empty beside a table that counts them): the points are spread over the whole file,
/// and the caption says how many are drawn.
/// </summary>
public sealed partial class MapSampleTests
{
    [Fact]
    public void Past_the_maximum_the_map_draws_points_from_the_whole_file_and_says_how_many()
    {
        const int half = 6_000;
        var csv = new StringBuilder("type_acteur,code_departement,latitude,longitude\r\n");
        for (var i = 0; i < half; i++)
        {
            csv.Append("pme,31,43.60000,1.44000\r\n"); // Toulouse
        }

        for (var i = 0; i < half; i++)
        {
            csv.Append("pme,34,43.61000,3.88000\r\n"); // Montpellier
        }

        var page = Build(csv.ToString());
        var circles = Circle().Matches(page.Map!.Html).Select(m => m.Groups[1].Value).ToList();
        Assert.InRange(circles.Count, DatasetFigures.MaxPoints / 2, DatasetFigures.MaxPoints);
        var places = circles.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(2, places.Count); // both cities, not the first 5,000 rows of Toulouse
        Assert.Equal(places.Values.Min(), places.Values.Max()); // spread evenly over the file
        Assert.Equal($"{KeyFigureFormat.Count(circles.Count)} points dessinés sur 12\u202F000 positions (une ligne sur 4, dans l'ordre du fichier)", page.MapSample);
    }

    [Fact]
    public void Under_the_maximum_every_position_is_drawn_and_the_caption_says_nothing_more()
    {
        var page = Build("type_acteur,code_departement,latitude,longitude\r\npme,31,43.60000,1.44000\r\npme,34,43.61000,3.88000\r\n");
        Assert.Equal(2, Circle().Count(page.Map!.Html));
        Assert.Null(page.MapSample);
    }

    private static DatasetPage Build(string csv)
    {
        const string dataPackage = """
            {
              "title": "Acteurs", "description": "d",
              "licenses": [{ "name": "etalab-2.0", "title": "Licence Ouverte", "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" }],
              "contributors": [{ "title": "Automotech", "role": "publisher" }, { "title": "Équipe", "role": "contact" }],
              "resources": [{ "name": "acteurs", "path": "acteurs.csv", "schema": { "fields": [
                { "name": "type_acteur", "type": "string" }, { "name": "code_departement", "type": "string" },
                { "name": "latitude", "type": "number" }, { "name": "longitude", "type": "number" } ] } }]
            }
            """;
        var releases = new DatasetReleases { Id = "acteurs", Title = "Acteurs" };
        releases.Versions.Add(new ReleaseVersion { Version = "2026-11-27", Published = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero), Rows = 1 });
        return DatasetPageBuilder.Build(new MemoryStream(Encoding.UTF8.GetBytes(dataPackage)), releases, releases.Latest!, new MemoryStream(Encoding.UTF8.GetBytes(csv)));
    }

    [GeneratedRegex("<circle cx=\"([0-9.]+\" cy=\"[0-9.]+)\"")]
    private static partial Regex Circle();
}
