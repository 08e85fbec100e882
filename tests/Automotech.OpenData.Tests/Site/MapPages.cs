using System.Text;
using System.Text.RegularExpressions;
using Automotech.OpenData.Anonymisation;
using Automotech.OpenData.Releases;
using Automotech.OpenData.Site;

namespace Automotech.OpenData.Tests.Site;

/// <summary>
/// A one-version dataset "sites" whose page is built from a datapackage.json with the given
/// <c>geoFields</c> and a CSV, for the tests of its map and bars by département; and what those
/// tests read in the SVG.
/// </summary>
internal static partial class MapPages
{
    public static DatasetReleases Releases(List<PrivacyRule>? rules = null)
    {
        var releases = new DatasetReleases { Id = "sites", Title = "Sites" };
        releases.Versions.Add(new ReleaseVersion
        {
            Version = "2026-11-27",
            Published = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero),
            Rows = 1,
            Privacy = new PrivacySummary { Rules = rules ?? [] },
        });
        return releases;
    }

    /// <param name="geoFields">The package's <c>"geoFields": {…},</c> member, or nothing.</param>
    /// <param name="field">The one field its schema declares.</param>
    public static DatasetPage Build(string geoFields, string csv, List<PrivacyRule>? rules = null, string field = "nom")
    {
        var releases = Releases(rules);
        var package = new MemoryStream(Encoding.UTF8.GetBytes($$"""
            {
              "title": "Sites", "description": "d", "charts": [], {{geoFields}}
              "licenses": [{ "name": "etalab-2.0", "title": "Licence Ouverte", "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" }],
              "contributors": [{ "title": "Automotech", "role": "publisher" }],
              "resources": [{ "name": "sites", "path": "sites.csv", "schema": { "fields": [{ "name": "{{field}}", "type": "string" }] } }]
            }
            """));
        return DatasetPageBuilder.Build(package, releases, releases.Latest!, new MemoryStream(Encoding.UTF8.GetBytes(csv)));
    }

    public static int Circles(string svg) => Regex.Count(svg, "<circle ");

    /// <summary>What a screen reader hears of a chart or map: its description.</summary>
    public static string Desc(string svg) => System.Net.WebUtility.HtmlDecode(DescPattern().Match(svg).Groups[1].Value);

    [GeneratedRegex("<desc id=\"[^\"]+\">([^<]*)</desc>")]
    private static partial Regex DescPattern();
}
