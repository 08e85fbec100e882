using Automotech.OpenData.Anonymisation;
using Automotech.OpenData.Site;

namespace Automotech.OpenData.Tests.Site;

/// <summary>
/// A page's map and bars by département read the CSV columns its version's datapackage.json names
/// (<c>geoFields</c>); a package without them, as every package published before they could be
/// declared, is read with the names of before, so that older versions' pages stay as they were.
/// </summary>
public sealed class GeoFieldsPageTests
{
    [Fact]
    public void A_package_without_geo_fields_is_read_with_the_names_of_before()
    {
        var page = Build("", "code_departement,latitude,longitude\r\n31,43.6,1.44\r\n81,43.93,2.15\r\n31,,\r\n");

        Assert.Equal("code_departement", page.DepartementField);
        Assert.Equal("Haute-Garonne (31) : 2 ; Tarn (81) : 1.", Desc(page.DepartementChart!.Html));
        Assert.Equal(2, Circles(page.Map!.Html));
    }

    [Fact]
    public void A_package_without_geo_fields_draws_nothing_from_columns_of_other_names()
    {
        // As before: a package that names no field is an older version's, whose columns were these.
        var page = Build("", "dep,lat,lon\r\n31,43.6,1.44\r\n");

        Assert.Null(page.DepartementChart);
        Assert.Null(page.Map);
        Assert.Empty(page.CountsByDepartement);
    }

    [Fact]
    public void The_fields_a_package_names_are_the_maps_and_the_bars()
    {
        var page = Build("""
            "geoFields": { "latitude": "lat", "longitude": "lon", "departement": "dep" },
            """, "dep,lat,lon,code_departement,latitude,longitude\r\n31,43.6,1.44,34,,\r\n81,43.93,2.15,34,,\r\n");

        Assert.Equal("dep", page.DepartementField);
        Assert.Equal("lat", page.LatitudeField);
        Assert.Equal("Haute-Garonne (31) : 1 ; Tarn (81) : 1.", Desc(page.DepartementChart!.Html));
        Assert.Equal(2, Circles(page.Map!.Html));
    }

    [Fact]
    public void A_field_the_package_does_not_name_keeps_its_name_of_before()
    {
        var page = Build("""
            "geoFields": { "departement": "dep" },
            """, "dep,latitude,longitude\r\n31,43.6,1.44\r\n");

        Assert.Equal(("dep", "latitude"), (page.DepartementField, page.LatitudeField));
        Assert.Equal(1, Circles(page.Map!.Html));
    }

    [Fact]
    public void The_maps_note_on_precision_reads_the_rules_of_the_declared_latitude()
    {
        var rules = new List<PrivacyRule>
        {
            new("lat", "coarsen", PrivacyRule.AllRows, "position ramenée au centre de la commune"),
            new("latitude", "coarsen", PrivacyRule.NaturalPersons, "position ramenée au chef-lieu du département"),
        };

        var declared = Build("""
            "geoFields": { "latitude": "lat", "longitude": "lon" },
            """, "lat,lon\r\n43.6,1.44\r\n", rules);
        var before = Build("", "latitude,longitude\r\n43.6,1.44\r\n", rules);

        Assert.Equal("points : positions publiées (toutes les lignes : position ramenée au centre de la commune)", declared.MapPositionNote);
        Assert.Equal("points : positions publiées (entrepreneurs individuels : position ramenée au chef-lieu du département)", before.MapPositionNote);
    }

    private static DatasetPage Build(string geoFields, string csv, List<PrivacyRule>? rules = null) => MapPages.Build(geoFields, csv, rules, field: "dep");

    private static int Circles(string svg) => MapPages.Circles(svg);

    private static string Desc(string svg) => MapPages.Desc(svg);
}
