using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>
/// The published GeoJSON as a GIS analyst opens it: QGIS reads it through GDAL/OGR, so GDAL's own
/// tools (Debian's gdal-bin, which scripts/test.sh installs) read the demo's file here, and what they
/// find is compared with the CSV of the same version and with schema.json.
/// </summary>
public sealed class GdalTests : IClassFixture<PublishDemoTests.Published>
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly PublishDemoTests.Published published;

    public GdalTests(PublishDemoTests.Published published) => this.published = published;

    private DemoSite Site => published.Site;

    private string Latest(string file) => Latest("acteurs", file);

    private string Latest(string id, string file) => Site.Path("datasets", id, "latest", file);

    // Both datasets that publish a GeoJSON: acteurs, and sirene-automobile (for GIS users, since
    // this session: its establishments at their communes' centroids).
    [Theory]
    [InlineData("acteurs")]
    [InlineData("sirene-automobile")]
    public void Gdal_reads_one_point_feature_per_CSV_row_in_WGS_84(string id)
    {
        Assert.Equal(0, published.ExitCode);
        var csv = PublishDemoTests.ReadCsv(Latest(id, $"{id}.csv"));
        var info = Gdal.Info(Latest(id, $"{id}.geojson"));

        Assert.Equal(csv.Count - 1, info.FeatureCount);
        Assert.Equal("Point", info.Geometry);

        // RFC 7946 §4: no "crs" member, the coordinates are WGS 84 longitude and latitude; GDAL
        // then assigns EPSG:4326 (what QGIS shows as the layer's CRS).
        Assert.Contains("ID[\"EPSG\",4326]", info.Srs, StringComparison.Ordinal);
        Assert.DoesNotContain("crs", Members(Latest(id, $"{id}.geojson")));

        // GDAL's extent is (min x, min y) - (max x, max y): x the longitude, y the latitude.
        var h = csv[0];
        var lat = csv.Skip(1).Select(r => double.Parse(r[Array.IndexOf(h, "latitude")], Inv)).ToList();
        var lon = csv.Skip(1).Select(r => double.Parse(r[Array.IndexOf(h, "longitude")], Inv)).ToList();
        Assert.Equal((lon.Min(), lat.Min(), lon.Max(), lat.Max()), info.Extent);
    }

    [Theory]
    [InlineData("acteurs")]
    [InlineData("sirene-automobile")]
    public void Gdal_types_each_property_as_schema_json_does_codes_with_leading_zeros_as_text(string id)
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Latest(id, "schema.json")));
        var declared = schema.RootElement.GetProperty("fields").EnumerateArray()
            .Select(f => (Name: f.GetProperty("name").GetString()!, Type: f.GetProperty("type").GetString()!)).ToList();
        var info = Gdal.Info(Latest(id, $"{id}.geojson"));

        Assert.Equal(declared.Select(f => f.Name), info.Fields.Select(f => f.Name));
        foreach (var (name, type) in declared)
        {
            Assert.Contains(info.Fields.Single(f => f.Name == name).Type, Gdal.TypesOf(type));
        }

        // "09" (Ariège) and 09xxx communes: read as integers they would lose their zero.
        foreach (var code in new[] { "code_departement", "code_commune", "tranche_effectif" })
        {
            Assert.Equal("String", info.Fields.Single(f => f.Name == code).Type);
        }
    }

    [Theory]
    [InlineData("acteurs")]
    [InlineData("sirene-automobile")]
    public void Gdal_reads_every_feature_as_the_CSV_row_field_by_field_its_point_at_the_rows_position(string id)
    {
        var csv = PublishDemoTests.ReadCsv(Latest(id, $"{id}.csv"));
        var types = SchemaTypes(Latest(id, "schema.json"));
        var read = Gdal.ToCsv(Latest(id, $"{id}.geojson"), Site.Temp("ogr", $"{id}.csv"));

        var h = csv[0];
        Assert.Equal(["X", "Y", .. h], read[0]);
        Assert.Equal(csv.Count, read.Count);
        Assert.Contains(csv.Skip(1), r => r[Array.IndexOf(h, "code_departement")] == "09");
        for (var r = 1; r < csv.Count; r++)
        {
            var row = csv[r];
            var feature = read[r];
            Assert.Equal(double.Parse(row[Array.IndexOf(h, "longitude")], Inv), double.Parse(feature[0], Inv));
            Assert.Equal(double.Parse(row[Array.IndexOf(h, "latitude")], Inv), double.Parse(feature[1], Inv));
            for (var f = 0; f < h.Length; f++)
            {
                Assert.True(Gdal.SameValue(types[h[f]], row[f], feature[f + 2]), $"row {r}, {h[f]}: the CSV says '{row[f]}', GDAL reads '{feature[f + 2]}'");
            }
        }
    }

    [Fact]
    public void Every_property_of_the_GeoJSON_is_the_CSVs_cell_so_the_same_fields_are_withheld()
    {
        // The privacy rules are applied once, before both writers: the GeoJSON publishes exactly what
        // the CSV does, field by field, for the whole demo file, and nothing beside (no id, no bbox).
        var csv = PublishDemoTests.ReadCsv(Latest("acteurs.csv"));
        var h = csv[0];
        var types = SchemaTypes(Latest("schema.json"));
        using var doc = JsonDocument.Parse(File.ReadAllText(Latest("acteurs.geojson")));
        var features = doc.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(csv.Count - 1, features.Count);
        for (var i = 0; i < features.Count; i++)
        {
            var row = csv[i + 1];
            Assert.Equal(["type", "geometry", "properties"], features[i].EnumerateObject().Select(p => p.Name));
            var properties = features[i].GetProperty("properties").EnumerateObject().ToList();
            Assert.Equal(h, properties.Select(p => p.Name));
            for (var f = 0; f < h.Length; f++)
            {
                Assert.True(AsCsvCell(types[h[f]], properties[f].Value) == row[f], $"feature {i}, {h[f]}: the CSV says '{row[f]}', the GeoJSON {properties[f].Value.GetRawText()}");
            }

            var coordinates = features[i].GetProperty("geometry").GetProperty("coordinates");
            Assert.Equal([row[Array.IndexOf(h, "longitude")], row[Array.IndexOf(h, "latitude")]], coordinates.EnumerateArray().Select(c => c.GetRawText()));
        }

        // Natural persons: nothing of what their rules withhold, their point no finer than the commune.
        var persons = features.Where(f => f.GetProperty("properties").GetProperty("identifiant").GetString()!.StartsWith("EI-", StringComparison.Ordinal)).ToList();
        Assert.Equal(csv.Count(r => r[0].StartsWith("EI-", StringComparison.Ordinal)), persons.Count);
        Assert.NotEmpty(persons);
        foreach (var person in persons)
        {
            var p = person.GetProperty("properties");
            Assert.Equal("Entrepreneur individuel (nom non diffusé)", p.GetProperty("nom").GetString());
            foreach (var withheld in new[] { "annee_adhesion", "sous_filieres", "thematiques", "site_web", "description", "date_mise_a_jour" })
            {
                Assert.Equal(JsonValueKind.Null, p.GetProperty(withheld).ValueKind);
            }

            var place = p.GetProperty("precision_localisation").GetString() == "commune"
                ? Reference.Geography.Occitanie.FindCommune(p.GetProperty("code_commune").GetString())!
                : Reference.Geography.Occitanie.FindCommune(Reference.Geography.Occitanie.FindDepartement(p.GetProperty("code_departement").GetString())!.ChefLieu)!;
            Assert.True(p.GetProperty("precision_localisation").GetString() is "commune" or "departement");
            var point = person.GetProperty("geometry").GetProperty("coordinates");
            Assert.Equal(place.Longitude.ToString("F5", Inv), point[0].GetRawText());
            Assert.Equal(place.Latitude.ToString("F5", Inv), point[1].GetRawText());
        }
    }

    [Fact]
    public void The_GeoJSON_keeps_to_RFC_7946()
    {
        var bytes = File.ReadAllBytes(Latest("acteurs.geojson"));
        Assert.Equal((byte)'{', bytes[0]); // UTF-8 without a byte order mark (RFC 8259 §8.1)
        _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);

        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        Assert.Equal("FeatureCollection", root.GetProperty("type").GetString());
        Assert.DoesNotContain("crs", Members(Latest("acteurs.geojson")));
        var points = new List<(double Lon, double Lat)>();
        foreach (var feature in root.GetProperty("features").EnumerateArray())
        {
            Assert.Equal("Feature", feature.GetProperty("type").GetString());
            var geometry = feature.GetProperty("geometry");
            Assert.Equal("Point", geometry.GetProperty("type").GetString());
            var position = geometry.GetProperty("coordinates").EnumerateArray().ToList();
            Assert.Equal(2, position.Count);

            // Longitude first: Occitanie's longitudes (-0.4 to 4.9) and latitudes (42.3 to 45.1) do not
            // overlap, so a swapped pair fails here. Six decimals at most (about 10 cm; RFC 7946 §11.2).
            var (lon, lat) = (position[0].GetDouble(), position[1].GetDouble());
            Assert.InRange(lon, -0.4, 4.9);
            Assert.InRange(lat, 42.3, 45.1);
            Assert.All(position, c => Assert.True(Decimals(c.GetRawText()) <= 6, c.GetRawText()));
            points.Add((lon, lat));
        }

        // A bbox is optional; one present must be [west, south, east, north] and hold every point.
        if (root.TryGetProperty("bbox", out var bbox))
        {
            Assert.Equal([points.Min(p => p.Lon), points.Min(p => p.Lat), points.Max(p => p.Lon), points.Max(p => p.Lat)], bbox.EnumerateArray().Select(b => b.GetDouble()));
        }
    }

    [Fact]
    public void The_GeoJSON_is_announced_as_application_geo_json_everywhere_it_is_listed()
    {
        using var package = JsonDocument.Parse(File.ReadAllText(Latest("datapackage.json")));
        var resource = package.RootElement.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("path").GetString() == "acteurs.geojson");
        Assert.Equal("application/geo+json", resource.GetProperty("mediatype").GetString());
        Assert.Equal("geojson", resource.GetProperty("format").GetString());

        var catalog = File.ReadAllText(Site.Path("catalog.jsonld"));
        using var graph = JsonDocument.Parse(catalog);
        var distribution = Descendants(graph.RootElement).Single(e => e.ValueKind == JsonValueKind.Object
            && e.TryGetProperty("dcat:downloadURL", out var url) && url.GetProperty("@id").GetString()!.EndsWith("/datasets/acteurs/latest/acteurs.geojson", StringComparison.Ordinal));
        Assert.Equal("http://www.iana.org/assignments/media-types/application/geo+json", distribution.GetProperty("dcat:mediaType").GetProperty("@id").GetString());

        var page = File.ReadAllText(Site.Path("datasets", "acteurs", "index.html"));
        var jsonLd = Regex.Match(page, "<script type=\"application/ld\\+json\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        using var dataset = JsonDocument.Parse(jsonLd);
        var download = dataset.RootElement.GetProperty("distribution").EnumerateArray()
            .Single(d => d.GetProperty("contentUrl").GetString()!.EndsWith("/acteurs.geojson", StringComparison.Ordinal));
        Assert.Equal("application/geo+json", download.GetProperty("encodingFormat").GetString());

        // What a blob upload sends as Content-Type.
        Assert.Equal("application/geo+json", OpenData.Publishing.PublishedFiles.MediaType("acteurs.geojson"));
    }

    [Fact]
    public async Task A_row_without_a_position_has_a_null_geometry_that_Gdal_reads()
    {
        // RFC 7946 §3.2: a Feature without a position has "geometry": null. Three companies of the
        // demo lose their coordinates: still three features, with their properties, and no point.
        using var site = new DemoSite();
        var rows = PublishDemoTests.ReadCsv(Repo.DemoSource);
        var h = rows[0];
        var companies = Enumerable.Range(1, rows.Count - 1)
            .Where(r => rows[r][Array.IndexOf(h, "statut_diffusion")] == "O" && !rows[r][Array.IndexOf(h, "categorie_juridique")].StartsWith('1'))
            .Take(3).ToList();
        var sirets = companies.Select(r => rows[r][Array.IndexOf(h, "siret")]).ToHashSet();
        foreach (var r in companies)
        {
            rows[r][Array.IndexOf(h, "latitude")] = "";
            rows[r][Array.IndexOf(h, "longitude")] = "";
        }

        var source = site.Temp("sans-position.csv");
        File.WriteAllLines(source, rows.Select(r => string.Join(",", r.Select(c => "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""))));
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={new string('k', 40)}"));

        var folder = site.Path("datasets", "acteurs", "latest");
        var csv = PublishDemoTests.ReadCsv(Path.Combine(folder, "acteurs.csv"));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "acteurs.geojson")));
        var withoutPoint = doc.RootElement.GetProperty("features").EnumerateArray()
            .Where(f => f.GetProperty("geometry").ValueKind == JsonValueKind.Null)
            .Select(f => f.GetProperty("properties").GetProperty("identifiant").GetString()!).ToHashSet();
        Assert.Equal(sirets, withoutPoint);

        var info = Gdal.Info(Path.Combine(folder, "acteurs.geojson"));
        Assert.Equal(csv.Count - 1, info.FeatureCount);
        Assert.Equal("Point", info.Geometry);
        var read = Gdal.ToCsv(Path.Combine(folder, "acteurs.geojson"), site.Temp("ogr", "acteurs.csv"));
        Assert.Equal(csv.Count, read.Count);
        for (var r = 1; r < csv.Count; r++)
        {
            Assert.Equal(csv[r][0], read[r][2]);
            var empty = sirets.Contains(csv[r][0]);
            Assert.Equal(empty, csv[r][Array.IndexOf(csv[0], "latitude")].Length == 0);
            Assert.Equal(empty, read[r][0].Length == 0 && read[r][1].Length == 0);
        }
    }

    [Fact]
    public async Task A_row_with_half_a_position_is_rejected_not_published_as_a_feature_without_a_point()
    {
        // A CRM row whose longitude was lost (a cell cleared, a column cut short) was published with
        // its latitude and precision_localisation "adresse", and in the GeoJSON as a feature with a
        // null geometry: QGIS showed an actor located "at its address" nowhere on the map, and the
        // CSV a latitude without a longitude. position_near_commune now rejects half a position.
        using var site = new DemoSite();
        var rows = PublishDemoTests.ReadCsv(Repo.DemoSource);
        var h = rows[0];
        var companies = Enumerable.Range(1, rows.Count - 1)
            .Where(r => rows[r][Array.IndexOf(h, "statut_diffusion")] == "O" && !rows[r][Array.IndexOf(h, "categorie_juridique")].StartsWith('1'))
            .Take(2).ToList();
        rows[companies[0]][Array.IndexOf(h, "longitude")] = "";
        rows[companies[1]][Array.IndexOf(h, "latitude")] = "";
        var halves = companies.Select(r => rows[r][Array.IndexOf(h, "siret")]).ToList();
        var source = site.Temp("demi-position.csv");
        File.WriteAllLines(source, rows.Select(r => string.Join(",", r.Select(c => "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""))));
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={new string('k', 40)}"));

        var folder = site.Path("datasets", "acteurs", "latest");
        var csv = PublishDemoTests.ReadCsv(Path.Combine(folder, "acteurs.csv"));
        Assert.DoesNotContain(csv, r => halves.Contains(r[0]));
        Assert.All(csv.Skip(1), r => Assert.Equal(r[Array.IndexOf(csv[0], "latitude")].Length == 0, r[Array.IndexOf(csv[0], "longitude")].Length == 0));
        var read = Gdal.ToCsv(Path.Combine(folder, "acteurs.geojson"), site.Temp("ogr", "acteurs.csv"));
        Assert.Equal(csv.Count, read.Count);
        Assert.All(read.Skip(1), r => Assert.True(r[0].Length > 0 && r[1].Length > 0, $"{r[2]} has no point"));

        // Rejected with its reason and line, in the private quarantine, as a far position is.
        var rejected = PublishDemoTests.ReadCsv(Path.Combine(site.Quarantine, "acteurs", "rejets.csv"));
        var reasons = string.Join("\n", rejected.Skip(1).Select(r => string.Join(" ", r)));
        foreach (var r in companies)
        {
            Assert.Contains(rows[r][Array.IndexOf(h, "siret")], reasons, StringComparison.Ordinal);
        }

        Assert.Equal(2, rejected.Skip(1).Count(r => r.Any(c => c.Contains("position-error", StringComparison.Ordinal))));
        Assert.Contains("position incomplète", reasons, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_number_field_whose_values_are_all_whole_is_still_read_as_Real()
    {
        // A dataset of charging points (fictional) whose power in kW is a number: 22, 50, 150 this
        // week. GDAL types a GeoJSON property by the JSON it finds, and 22 is an integer to it: QGIS
        // loaded puissance_kw as Integer, against schema.json, and as Real the week a 7.4 kW point
        // appears, which breaks a project's joins, styles and models between two versions.
        using var site = new DemoSite();
        var folder = site.Temp("pipelines", "bornes");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "schema.json"), """
            {
              "fields": [
                { "name": "code_borne", "type": "string", "constraints": { "required": true, "unique": true } },
                { "name": "latitude", "type": "number" },
                { "name": "longitude", "type": "number" },
                { "name": "puissance_kw", "type": "number" },
                { "name": "points_de_charge", "type": "integer" }
              ],
              "primaryKey": "code_borne"
            }
            """);
        File.WriteAllText(Path.Combine(folder, "pipeline.yaml"), """
            id: bornes
            metadata:
              title: Bornes de recharge (fictives)
              description: Bornes de recharge inventées pour un test.
              licence: { id: etalab-2.0, title: Licence Ouverte 2.0, url: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" }
              publisher: { name: Automotech, url: "https://automotech.example" }
              contact: { name: Équipe données, email: opendata@automotech.example }
              spatial: Occitanie
              update_frequency: hebdomadaire
              demo: true
            source:
              kind: csv
              path: bornes.csv
              schema:
                primaryKey: [code_borne]
                fields:
                  - { name: code_borne, type: string, constraints: { required: true } }
                  - { name: latitude, type: number }
                  - { name: longitude, type: number }
                  - { name: puissance_kw, type: number }
                  - { name: points_de_charge, type: integer }
            fields:
              code_borne: { from: code_borne }
              latitude: { from: latitude }
              longitude: { from: longitude }
              puissance_kw: { from: puissance_kw }
              points_de_charge: { from: points_de_charge }
            outputs:
              formats: [csv, geojson]
            """);
        File.WriteAllText(Path.Combine(folder, "bornes.csv"), "code_borne,latitude,longitude,puissance_kw,points_de_charge\nB001,43.60446,1.44425,22,2\nB002,43.92889,2.14611,50,4\nB003,44,3,150,8\nB004,43.7,1.5,,1\n");
        Assert.Equal(0, await site.RunAsync("publish", $"--Pipeline:Directory={site.Temp("pipelines")}"));

        var geojson = site.Path("datasets", "bornes", "latest", "bornes.geojson");
        var info = Gdal.Info(geojson);
        Assert.Equal([("code_borne", "String"), ("latitude", "Real"), ("longitude", "Real"), ("puissance_kw", "Real"), ("points_de_charge", "Integer")], info.Fields);
        Assert.Equal(4, info.FeatureCount);

        // The values are the CSV's, the whole ones written as JSON reals (22.0), and the points too.
        var csv = PublishDemoTests.ReadCsv(site.Path("datasets", "bornes", "latest", "bornes.csv"));
        var read = Gdal.ToCsv(geojson, site.Temp("ogr", "bornes.csv"));
        Assert.Equal(csv.Count, read.Count);
        for (var r = 1; r < csv.Count; r++)
        {
            Assert.Equal(csv[r][0], read[r][2]);
            Assert.True(Gdal.SameValue("number", csv[r][2], read[r][0]) && Gdal.SameValue("number", csv[r][1], read[r][1]), $"row {r}: point ({read[r][0]}, {read[r][1]})");
            Assert.True(Gdal.SameValue("number", csv[r][3], read[r][5]), $"row {r}: puissance_kw '{csv[r][3]}' read '{read[r][5]}'");
            Assert.Equal(csv[r][4], read[r][6]);
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(geojson));
        var third = doc.RootElement.GetProperty("features")[2];
        Assert.Equal("[3.0,44.0]", third.GetProperty("geometry").GetProperty("coordinates").GetRawText());
        Assert.Equal("150.0", third.GetProperty("properties").GetProperty("puissance_kw").GetRawText());
        Assert.Equal("8", third.GetProperty("properties").GetProperty("points_de_charge").GetRawText());
    }

    private static Dictionary<string, string> SchemaTypes(string schemaPath)
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(schemaPath));
        return schema.RootElement.GetProperty("fields").EnumerateArray()
            .ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("type").GetString()!);
    }

    /// <summary>A GeoJSON property as the CSV writes the same value (an empty cell for null).</summary>
    private static string AsCsvCell(string type, JsonElement value) => (type, value.ValueKind) switch
    {
        (_, JsonValueKind.Null) => "",
        ("integer" or "number" or "year", JsonValueKind.Number) => value.GetRawText(),
        ("boolean", JsonValueKind.True) => "true",
        ("boolean", JsonValueKind.False) => "false",
        ("string" or "date" or "datetime", JsonValueKind.String) => value.GetString()!,
        _ => $"<{value.ValueKind} for a {type}>",
    };

    private static int Decimals(string number) => number.Contains('.', StringComparison.Ordinal) ? number.Length - number.IndexOf('.', StringComparison.Ordinal) - 1 : 0;

    /// <summary>The names of every member of every object of a JSON file.</summary>
    private static HashSet<string> Members(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return Descendants(doc.RootElement).Where(e => e.ValueKind == JsonValueKind.Object).SelectMany(e => e.EnumerateObject().Select(p => p.Name)).ToHashSet(StringComparer.Ordinal);
    }

    private static IEnumerable<JsonElement> Descendants(JsonElement root)
    {
        var stack = new Stack<JsonElement>([root]);
        while (stack.TryPop(out var e))
        {
            yield return e;
            if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                {
                    stack.Push(p.Value);
                }
            }
            else if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in e.EnumerateArray())
                {
                    stack.Push(item);
                }
            }
        }
    }
}

/// <summary>GDAL's command-line tools, as scripts/test.sh installs them (Debian's gdal-bin).</summary>
internal static partial class Gdal
{
    public sealed record Layer(long FeatureCount, string Geometry, string Srs, (double, double, double, double) Extent, IReadOnlyList<(string Name, string Type)> Fields);

    /// <summary>The OGR field types a Table Schema type may be read as.</summary>
    public static string[] TypesOf(string tableSchemaType) => tableSchemaType switch
    {
        "string" => ["String"],
        "integer" => ["Integer", "Integer64"],
        "number" => ["Real"],
        "boolean" => ["Integer(Boolean)"],
        "date" => ["Date"],
        "datetime" => ["DateTime"],
        "year" => ["Integer"],
        _ => throw new ArgumentException($"no OGR type for '{tableSchemaType}'", nameof(tableSchemaType)),
    };

    /// <summary>What <c>ogrinfo -so -al</c> says of the file's one layer.</summary>
    public static Layer Info(string path)
    {
        var text = Run("ogrinfo", "-ro", "-so", "-al", path);
        var fields = FieldLine().Matches(text).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        var extent = Regex.Match(text, @"^Extent: \(([-0-9.]+), ([-0-9.]+)\) - \(([-0-9.]+), ([-0-9.]+)\)$", RegexOptions.Multiline);
        double D(int g) => double.Parse(extent.Groups[g].Value, CultureInfo.InvariantCulture);
        return new Layer(
            long.Parse(Regex.Match(text, @"^Feature Count: (\d+)$", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture),
            Regex.Match(text, @"^Geometry: (.+)$", RegexOptions.Multiline).Groups[1].Value,
            text,
            extent.Success ? (D(1), D(2), D(3), D(4)) : default,
            fields);
    }

    /// <summary>The layer converted by <c>ogr2ogr</c> to CSV, X and Y (the point) first, read back.</summary>
    public static List<string[]> ToCsv(string path, string output)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        Run("ogr2ogr", "-f", "CSV", "-lco", "GEOMETRY=AS_XY", output, path);
        return PublishDemoTests.ReadCsv(output);
    }

    /// <summary>Whether GDAL's CSV text of a value is the value our CSV holds for a field of that type.</summary>
    public static bool SameValue(string type, string ours, string gdal) => type switch
    {
        _ when ours.Length == 0 || gdal.Length == 0 => ours.Length == 0 && gdal.Length == 0,
        "number" => double.Parse(ours, CultureInfo.InvariantCulture) == double.Parse(gdal, CultureInfo.InvariantCulture),
        "boolean" => (ours == "true" ? "1" : "0") == gdal,
        "date" => ours.Replace('-', '/') == gdal,
        "string" or "integer" or "year" => ours == gdal,
        _ => throw new ArgumentException($"no comparison for '{type}'", nameof(type)),
    };

    /// <summary>Runs a GDAL tool; fails the test (never skips it) when GDAL is missing, or when the tool fails or warns.</summary>
    public static string Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            Assert.Fail($"{tool} (GDAL) is missing: run scripts/test.sh, which installs Debian's gdal-bin (or: sudo apt-get install gdal-bin).");
            throw;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)} exited with {process.ExitCode}: {errors}");
            Assert.True(errors.Length == 0, $"{tool} warned: {errors}");
            return output.Result;
        }
    }

    [GeneratedRegex(@"^(\w+): (String|Integer|Integer64|Real|Date|DateTime|Time|Integer\(Boolean\)|[A-Za-z0-9]+(?:\([A-Za-z]+\))?) \(\d+\.\d+\)$", RegexOptions.Multiline)]
    private static partial Regex FieldLine();
}
