namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>
/// A dataset author's second dataset, declared without C#: a small fictional training offer
/// (formations), with the mistakes newcomers make in its files.
/// </summary>
public sealed class NewDatasetTests
{
    private const string Yaml = FormationsDataset.Metadata + "  update_frequency: annuelle\n" + FormationsDataset.Source + FormationsDataset.Fields;

    private const string Csv = "code_formation,intitule,code_commune,places\nF001,Ingénieur mécatronique (fictif),31555,40\nF002,BTS maintenance (fictif),81004,24\n";

    /// <summary>The formations pipeline in a folder of its own, its source edited by <paramref name="csv"/>.</summary>
    private static void WriteDataset(DemoSite site, string yaml = Yaml, string csv = Csv) =>
        FormationsDataset.Write(site, FormationsDataset.Schema, yaml, csv);

    private static Task<int> PublishAsync(DemoSite site, params string[] more) => FormationsDataset.PublishAsync(site, more);

    [Fact]
    public async Task The_pages_say_the_licence_the_dataset_is_published_under()
    {
        // The footer of every page said "Licence Ouverte / Etalab 2.0" whatever metadata.licence
        // declared: a share-alike (ODbL) dataset was announced free of its share-alike clause.
        using var site = new DemoSite();
        WriteDataset(site);
        Assert.Equal(0, await PublishAsync(site));

        foreach (var page in new[] { "index.html", "a-propos.html", "404.html", "datasets/formations/index.html", "datasets/formations/2026-11-25/index.html" })
        {
            var html = File.ReadAllText(site.Path(page.Split('/')));
            Assert.DoesNotContain("Etalab", html, StringComparison.Ordinal);
            Assert.Contains("<a href=\"https://opendatacommons.org/licenses/odbl/1-0/\">Open Database License (ODbL) 1.0</a>", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_catalogue_of_several_licences_sends_to_each_datasets_own()
    {
        using var site = new DemoSite();
        WriteDataset(site);
        var etalab = site.Temp("pipelines", "formations-etalab");
        Directory.CreateDirectory(etalab);
        File.Copy(site.Temp("pipelines", "formations", "schema.json"), Path.Combine(etalab, "schema.json"));
        File.Copy(site.Temp("pipelines", "formations", "formations.csv"), Path.Combine(etalab, "formations.csv"));
        File.WriteAllText(Path.Combine(etalab, "pipeline.yaml"), Yaml
            .Replace("id: formations\n", "id: formations-etalab\n", StringComparison.Ordinal)
            .Replace("{ id: ODbL-1.0, title: Open Database License (ODbL) 1.0, url: \"https://opendatacommons.org/licenses/odbl/1-0/\" }",
                "{ id: etalab-2.0, title: Licence Ouverte 2.0, url: \"https://www.etalab.gouv.fr/licence-ouverte-open-licence/\" }", StringComparison.Ordinal));
        Assert.Equal(0, await PublishAsync(site));

        Assert.Contains("Chaque jeu de données est publié sous la licence indiquée sur sa page.", File.ReadAllText(site.Path("index.html")), StringComparison.Ordinal);
        var about = File.ReadAllText(site.Path("a-propos.html"));
        Assert.Contains("<a href=\"https://opendatacommons.org/licenses/odbl/1-0/\">Open Database License (ODbL) 1.0</a>", about, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://www.etalab.gouv.fr/licence-ouverte-open-licence/\">Licence Ouverte 2.0</a>", about, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://www.etalab.gouv.fr/licence-ouverte-open-licence/\">Licence Ouverte 2.0</a>", File.ReadAllText(site.Path("datasets", "formations-etalab", "index.html")), StringComparison.Ordinal);
        Assert.DoesNotContain("Etalab", File.ReadAllText(site.Path("datasets", "formations", "index.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_catalogue_gives_each_dataset_the_themes_and_departements_it_declares_and_the_defaults_to_one_declaring_none()
    {
        // Every dataset of catalog.jsonld was classed ECON and boxed to the whole of Occitanie,
        // whatever pipeline.yaml said: a harvester filtering on transport, or on Haute-Garonne,
        // found the training offer of two départements among the region's economic statistics.
        using var site = new DemoSite();
        await PublishCoverageVariantsAsync(site);

        using var catalog = System.Text.Json.JsonDocument.Parse(File.ReadAllText(site.Path("catalog.jsonld")));
        var datasets = catalog.RootElement.GetProperty("dcat:dataset").EnumerateArray()
            .ToDictionary(d => d.GetProperty("dct:identifier").GetString()!.Split('/')[^2], d => d);

        var declared = datasets["formations"];
        var themes = declared.GetProperty("dcat:theme").EnumerateArray().ToList();
        Assert.Equal(
            ["http://publications.europa.eu/resource/authority/data-theme/EDUC", "http://publications.europa.eu/resource/authority/data-theme/TRAN"],
            themes.Select(t => t.GetProperty("@id").GetString()));
        Assert.Equal(["Éducation, culture et sport", "Transports"], themes.Select(t => t.GetProperty("skos:prefLabel").GetProperty("@value").GetString()));
        var spatial = declared.GetProperty("dct:spatial");
        Assert.Equal("Haute-Garonne et Tarn", spatial.GetProperty("skos:prefLabel").GetProperty("@value").GetString());
        var box = Box(spatial.GetProperty("dcat:bbox").GetProperty("@value").GetString()!);
        Assert.Equal(ContourBox("31", "81"), box);
        Assert.True(Inside(box, 43.59604, 1.43209) && Inside(box, 43.92578, 2.14740), "Toulouse and Albi are in the box");
        Assert.False(Inside(box, 43.61337, 3.86922) || Inside(box, 44.45072, 1.44062) || Inside(box, 43.23462, 0.06616), "Montpellier, Cahors and Tarbes are not");

        // Nothing declared: as every dataset was before (ECON, the whole region), one concept, not a list.
        var undeclared = datasets["formations-region"];
        Assert.Equal(System.Text.Json.JsonValueKind.Object, undeclared.GetProperty("dcat:theme").ValueKind);
        Assert.Equal("http://publications.europa.eu/resource/authority/data-theme/ECON", undeclared.GetProperty("dcat:theme").GetProperty("@id").GetString());
        Assert.Equal("Économie et finances", undeclared.GetProperty("dcat:theme").GetProperty("skos:prefLabel").GetProperty("@value").GetString());
        var regionBox = Box(undeclared.GetProperty("dct:spatial").GetProperty("dcat:bbox").GetProperty("@value").GetString()!);
        Assert.Equal(ContourBox("09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"), regionBox);
        Assert.True(Inside(regionBox, 43.61337, 3.86922) && Inside(regionBox, 44.45072, 1.44062) && Inside(regionBox, 43.23462, 0.06616));

        // One theme declared: one concept; no label written: the départements' names.
        var tarnEntry = datasets["formations-tarn"];
        Assert.Equal("http://publications.europa.eu/resource/authority/data-theme/EDUC", tarnEntry.GetProperty("dcat:theme").GetProperty("@id").GetString());
        Assert.Equal("Tarn", tarnEntry.GetProperty("dct:spatial").GetProperty("skos:prefLabel").GetProperty("@value").GetString());
        Assert.Equal(ContourBox("81"), Box(tarnEntry.GetProperty("dct:spatial").GetProperty("dcat:bbox").GetProperty("@value").GetString()!));

        // The facts travel in datapackage.json (the catalogue is built from a version's files), only when declared.
        using var package = System.Text.Json.JsonDocument.Parse(File.ReadAllText(site.Path("datasets", "formations", "latest", "datapackage.json")));
        Assert.Equal(["EDUC", "TRAN"], package.RootElement.GetProperty("themes").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["31", "81"], package.RootElement.GetProperty("spatialDepartements").EnumerateArray().Select(t => t.GetString()));
        using var regionPackage = System.Text.Json.JsonDocument.Parse(File.ReadAllText(site.Path("datasets", "formations-region", "latest", "datapackage.json")));
        Assert.False(regionPackage.RootElement.TryGetProperty("themes", out _));
        Assert.False(regionPackage.RootElement.TryGetProperty("spatialDepartements", out _));

        // The pages show the themes the catalogue gives (declared, else ECON), each linked to its concept.
        static string Link(string code, string label) => $"<a href=\"http://publications.europa.eu/resource/authority/data-theme/{code}\">{label}</a>";
        foreach (var (id, links) in new[]
        {
            ("formations", Link("EDUC", "Éducation, culture et sport") + ", " + Link("TRAN", "Transports")),
            ("formations-region", Link("ECON", "Économie et finances")),
            ("formations-tarn", Link("EDUC", "Éducation, culture et sport")),
        })
        {
            foreach (var page in new[] { site.Path("datasets", id, "index.html"), site.Path("datasets", id, "2026-11-25", "index.html") })
            {
                Assert.Contains($"<dt>Thèmes (vocabulaire européen)</dt><dd>{links}</dd>", File.ReadAllText(page), StringComparison.Ordinal);
            }
        }

        var home = File.ReadAllText(site.Path("index.html"));
        Assert.Contains("<dt>Thèmes</dt><dd>Éducation, culture et sport, Transports</dd>", home, StringComparison.Ordinal);
        Assert.Contains("<dt>Thèmes</dt><dd>Économie et finances</dd>", home, StringComparison.Ordinal);

        await Site.CatalogTests.AssertConformsToShapesAsync(site.Path("catalog.jsonld"));
    }

    /// <summary>
    /// Publishes three formations datasets: <c>formations</c> (Haute-Garonne and Tarn declared, with
    /// a label, themes EDUC and TRAN), <c>formations-region</c> (neither declared) and
    /// <c>formations-tarn</c> (Tarn declared without a label, theme EDUC).
    /// </summary>
    private static async Task PublishCoverageVariantsAsync(DemoSite site)
    {
        WriteDataset(site, Yaml.Replace("  spatial: Occitanie\n", "  spatial: Haute-Garonne et Tarn\n  spatial_departements: [\"31\", \"81\"]\n  themes: [educ, TRAN]\n", StringComparison.Ordinal));
        var region = site.Temp("pipelines", "formations-region");
        Directory.CreateDirectory(region);
        File.Copy(site.Temp("pipelines", "formations", "schema.json"), Path.Combine(region, "schema.json"));
        File.Copy(site.Temp("pipelines", "formations", "formations.csv"), Path.Combine(region, "formations.csv"));
        File.WriteAllText(Path.Combine(region, "pipeline.yaml"), Yaml.Replace("id: formations\n", "id: formations-region\n", StringComparison.Ordinal));
        var tarn = site.Temp("pipelines", "formations-tarn");
        Directory.CreateDirectory(tarn);
        File.Copy(site.Temp("pipelines", "formations", "schema.json"), Path.Combine(tarn, "schema.json"));
        File.Copy(site.Temp("pipelines", "formations", "formations.csv"), Path.Combine(tarn, "formations.csv"));
        File.WriteAllText(Path.Combine(tarn, "pipeline.yaml"), Yaml
            .Replace("id: formations\n", "id: formations-tarn\n", StringComparison.Ordinal)
            .Replace("  spatial: Occitanie\n", "  spatial_departements: [\"81\"]\n  themes: [EDUC]\n", StringComparison.Ordinal));
        Assert.Equal(0, await PublishAsync(site));
    }

    [Fact]
    public async Task The_pages_schema_org_spatial_coverage_gives_the_box_of_the_departements_covered_latitude_first()
    {
        // The pages' schema.org Dataset (what search engines read) named the place and gave no extent,
        // while catalog.jsonld had its box: a map search in Google's Dataset Search found nothing.
        using var site = new DemoSite();
        await PublishCoverageVariantsAsync(site);
        using var catalog = System.Text.Json.JsonDocument.Parse(File.ReadAllText(site.Path("catalog.jsonld")));
        var entries = catalog.RootElement.GetProperty("dcat:dataset").EnumerateArray()
            .ToDictionary(d => d.GetProperty("dct:identifier").GetString()!.Split('/')[^2], d => d.GetProperty("dct:spatial"));

        foreach (var (id, name, codes) in new[]
        {
            ("formations", "Haute-Garonne et Tarn", new[] { "31", "81" }),
            ("formations-region", "Occitanie", new[] { "09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82" }),
            ("formations-tarn", "Tarn", new[] { "81" }),
        })
        {
            foreach (var path in new[] { site.Path("datasets", id, "index.html"), site.Path("datasets", id, "2026-11-25", "index.html") })
            {
                var html = File.ReadAllText(path);
                var script = html[(html.IndexOf("<script type=\"application/ld+json\">", StringComparison.Ordinal) + "<script type=\"application/ld+json\">".Length)..];
                using var jsonLd = System.Text.Json.JsonDocument.Parse(script[..script.IndexOf("</script>", StringComparison.Ordinal)]);
                var place = jsonLd.RootElement.GetProperty("spatialCoverage");
                Assert.Equal("Place", place.GetProperty("@type").GetString());
                Assert.Equal(name, place.GetProperty("name").GetString());
                Assert.Equal("GeoShape", place.GetProperty("geo").GetProperty("@type").GetString());

                // schema.org's box: the lower (south-west) corner, then the upper (north-east), each latitude first.
                var text = place.GetProperty("geo").GetProperty("box").GetString()!;
                Assert.Matches(@"^\d+\.\d{5} -?\d+\.\d{5} \d+\.\d{5} -?\d+\.\d{5}$", text);
                var box = text.Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                var (west, south, east, north) = ContourBox(codes);
                Assert.Equal([south, west, north, east], box);
                Assert.Equal((west, south, east, north), Box(entries[id].GetProperty("dcat:bbox").GetProperty("@value").GetString()!)); // catalog.jsonld's box
                Assert.Equal(name, entries[id].GetProperty("skos:prefLabel").GetProperty("@value").GetString());

                // And the page's facts name the same place.
                Assert.Contains($"<dt>Couverture</dt><dd>{name}</dd>", html, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>The box of a WKT polygon as (min lon, min lat, max lon, max lat).</summary>
    private static (double, double, double, double) Box(string wkt)
    {
        var points = wkt["POLYGON((".Length..^2].Split(", ").Select(p => p.Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToList();
        return (points.Min(p => p[0]), points.Min(p => p[1]), points.Max(p => p[0]), points.Max(p => p[1]));
    }

    private static bool Inside((double MinX, double MinY, double MaxX, double MaxY) box, double latitude, double longitude) =>
        longitude >= box.MinX && longitude <= box.MaxX && latitude >= box.MinY && latitude <= box.MaxY;

    /// <summary>The box of the départements' contours in reference/, read here apart from the library, rounded as WKT writes it.</summary>
    private static (double, double, double, double) ContourBox(params string[] codes)
    {
        using var contours = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "reference", "departements-occitanie.geojson")));
        var points = new List<(double X, double Y)>();
        void Collect(System.Text.Json.JsonElement e)
        {
            if (e[0].ValueKind == System.Text.Json.JsonValueKind.Number)
            {
                points.Add((e[0].GetDouble(), e[1].GetDouble()));
                return;
            }

            foreach (var child in e.EnumerateArray())
            {
                Collect(child);
            }
        }

        var features = contours.RootElement.GetProperty("features").EnumerateArray().Where(f => codes.Contains(f.GetProperty("properties").GetProperty("code").GetString())).ToList();
        Assert.Equal(codes.Length, features.Count);
        features.ForEach(f => Collect(f.GetProperty("geometry").GetProperty("coordinates")));
        return (Math.Round(points.Min(p => p.X), 5), Math.Round(points.Min(p => p.Y), 5), Math.Round(points.Max(p => p.X), 5), Math.Round(points.Max(p => p.Y), 5));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_page_calls_the_data_fictional_only_when_its_dataset_is(bool formationsDemo)
    {
        // A real dataset added beside the bundled demo ones (or a fictional one beside real ones):
        // the banner "Données fictives … inventés" was on every page as soon as one dataset was demo.
        using var site = new DemoSite();
        var pipelines = site.Temp("pipelines");
        foreach (var bundled in new[] { "acteurs", "chiffres-cles" })
        {
            Directory.CreateDirectory(Path.Combine(pipelines, bundled));
            File.Copy(Path.Combine(Repo.Pipelines, bundled, "schema.json"), Path.Combine(pipelines, bundled, "schema.json"));
            var yaml = File.ReadAllText(Path.Combine(Repo.Pipelines, bundled, "pipeline.yaml")).Replace("../../samples/", Path.Combine(Repo.Root, "samples") + "/", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(pipelines, bundled, "pipeline.yaml"), formationsDemo ? yaml.Replace("  demo: true", "  demo: false", StringComparison.Ordinal) : yaml);
        }

        WriteDataset(site, formationsDemo ? Yaml.Replace("  demo: false", "  demo: true", StringComparison.Ordinal) : Yaml);
        Assert.Equal(0, await PublishAsync(site, $"--Anonymisation:Key={new string('k', 40)}"));

        var (fictional, real) = formationsDemo ? ("formations", "acteurs") : ("acteurs", "formations");
        foreach (var page in new[] { site.Path("datasets", real, "index.html"), site.Path("datasets", real, "2026-11-25", "index.html") })
        {
            Assert.DoesNotContain("fictiv", File.ReadAllText(page), StringComparison.Ordinal);
        }

        var fictionalPage = File.ReadAllText(site.Path("datasets", fictional, "index.html"));
        Assert.Contains("Données fictives de démonstration", fictionalPage, StringComparison.Ordinal);

        // The fictional dataset's own page called the whole catalogue invented, its real neighbour included.
        Assert.DoesNotContain("de ce catalogue sont inventés", fictionalPage, StringComparison.Ordinal);
        Assert.Contains("Les noms, SIRET, adresses et chiffres de ce jeu de données sont inventés", fictionalPage, StringComparison.Ordinal);
        foreach (var page in new[] { "index.html", "a-propos.html" })
        {
            // The catalogue's own pages still warn, naming the fictional dataset, and not calling the whole catalogue invented.
            var html = File.ReadAllText(site.Path(page));
            Assert.Contains("Données fictives de démonstration", html, StringComparison.Ordinal);
            Assert.DoesNotContain("de ce catalogue sont inventés", html, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("  intitule: { from: intitule }", "  intitule: { from: intitule, transform: year }", "fields.intitule: transform 'year' reads a date, but source field 'intitule' is of type string")]
    [InlineData("  code_commune: { from: code_commune }", "  code_commune: { from: code_commune, transform: headcount_band }", "fields.code_commune: transform 'headcount_band' reads a number, but source field 'code_commune' is of type string")]
    [InlineData("  intitule: { from: intitule }", "  intitule: { from: intitule, bands: [{ below: 10, label: petit }, { label: grand }] }", "fields.intitule: bands read a number, but source field 'intitule' is of type string")]
    [InlineData("  places: { from: places }", "  places: { from: places, transform: commune_name }", "fields.places: transform 'commune_name' reads a commune code: source field 'places' needs checks: [commune]")]
    [InlineData("  intitule: { from: intitule }", "  intitule: { from: code_commune, transform: naf_label }\n  x: { from: intitule }", "fields.intitule: transform 'naf_label' reads a NAF code: source field 'code_commune' needs checks: [naf]")]
    public async Task A_transform_on_a_source_field_it_cannot_read_is_a_definition_error_not_a_crash(string from, string to, string expected)
    {
        // headcount_band on text crashed the run (exit 70, the cell's value in the message); year on
        // text published its first four characters; commune_name on a number published nothing.
        using var site = new DemoSite();
        WriteDataset(site, Yaml.Replace(from, to, StringComparison.Ordinal));
        Assert.Equal(1, await PublishAsync(site));
        Assert.Contains(expected, site.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", site.Error, StringComparison.Ordinal);
        Assert.False(site.PublishedAnything);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n\r\n")]
    [InlineData("\uFEFF")]
    public async Task An_empty_source_file_is_called_empty(string csv)
    {
        // It was told "none of its 0 cell(s) names a field of the schema, so this is not the
        // header row (a title above it? the wrong sheet, file or delimiter?)".
        using var site = new DemoSite();
        WriteDataset(site, csv: csv);
        Assert.Equal(1, await PublishAsync(site));
        Assert.Contains("formations.csv, line 1 (header): the source is empty: no header row, no data.", site.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("title above it", site.Error, StringComparison.Ordinal);
        Assert.False(site.PublishedAnything);
    }

    [Fact]
    public async Task Metadata_the_pages_and_citations_are_built_from_are_required()
    {
        // With only a title and a licence's id and url, the run published pages reading
        // "Données publiées sous ." and a citation ", « Offre… », …, licence" with exit 0.
        using var site = new DemoSite();
        WriteDataset(site, Yaml
            .Replace("  description: Formations des écoles de la filière.\n", "", StringComparison.Ordinal)
            .Replace("title: Open Database License (ODbL) 1.0, ", "", StringComparison.Ordinal)
            .Replace("  publisher: { name: Automotech, url: \"https://automotech.example\" }\n", "", StringComparison.Ordinal)
            .Replace("  contact: { name: Équipe données, email: opendata@automotech.example }\n", "", StringComparison.Ordinal));
        Assert.Equal(1, await PublishAsync(site));
        Assert.Contains("metadata.description is required", site.Error, StringComparison.Ordinal);
        Assert.Contains("metadata.licence needs a title", site.Error, StringComparison.Ordinal);
        Assert.Contains("metadata.publisher needs a name", site.Error, StringComparison.Ordinal);
        Assert.Contains("metadata.contact needs a name", site.Error, StringComparison.Ordinal);
        Assert.False(site.PublishedAnything);
    }

    [Fact]
    public async Task A_row_filled_only_in_ignored_columns_is_not_called_a_row_without_any_cell()
    {
        // The second row of a merged two-row header read with header_rows: 1, or a CRM note in a
        // column the pipeline does not know: "ligne vide : aucune cellule renseignée", on a line
        // whose cells the author can see.
        using var site = new DemoSite();
        WriteDataset(site, csv: "code_formation,intitule,code_commune,places,commentaire\nF001,Ingénieur (fictif),31555,40,\n,,,,note interne (fictive)\nF002,BTS (fictif),81004,24,\nF003,CAP (fictif),81004,24,\nF004,Licence (fictive),81004,24,\nF005,Master (fictif),81004,24,\n");
        Assert.Equal(1, await site.RunAsync("validate", $"--Pipeline:Directory={site.Temp("pipelines")}"));
        Assert.Contains("line       3  blank-row", site.Output, StringComparison.Ordinal);
        Assert.Contains("aucun champ déclaré n'est renseigné (une colonne ignorée ne compte pas)", site.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("aucune cellule renseignée", site.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00 }, "is a zip archive, such as an Excel workbook (.xlsx), not delimited text: set source.kind: xlsx")]
    [InlineData(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }, "is an old binary Excel workbook (.xls), not delimited text: save it as .xlsx (source.kind: xlsx) or as CSV")]
    public async Task A_workbook_given_to_a_csv_source_is_named_as_such(byte[] start, string expected)
    {
        // The export was an .xlsx and the author kept kind: csv: the run said the header named no
        // field and pointed at source.header_row, "for a workbook".
        using var site = new DemoSite();
        WriteDataset(site);
        File.WriteAllBytes(site.Temp("pipelines", "formations", "formations.csv"), [.. start, .. new byte[64]]);
        Assert.Equal(1, await PublishAsync(site));
        Assert.Contains($"formations.csv: this file {expected}", site.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("header_row", site.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_about_page_speaks_of_the_catalogues_datasets_and_formats_not_of_the_bundled_actors()
    {
        // A catalogue of training offers only was said to come from the cluster's CRM and to
        // publish "GeoJSON pour les acteurs".
        using var site = new DemoSite();
        WriteDataset(site, Yaml.Replace("title: Offre de formation de la filière", "title: 'Offre <i>de</i> formation & \"co\"'", StringComparison.Ordinal));
        Assert.Equal(0, await PublishAsync(site));

        var about = File.ReadAllText(site.Path("a-propos.html"));
        var main = about[about.IndexOf("<h1>", StringComparison.Ordinal)..about.IndexOf("<h2 id=\"licence\">", StringComparison.Ordinal)];
        Assert.DoesNotContain("CRM", main, StringComparison.Ordinal);
        Assert.DoesNotContain("acteurs", main, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("GeoJSON", main, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>de</i>", about, StringComparison.Ordinal); // every value escaped
        const string title = "Offre &lt;i&gt;de&lt;/i&gt; formation &amp; &quot;co&quot;";
        Assert.Contains($"<li><a href=\"datasets/formations/index.html\">{title}</a>, publié par Automotech</li>", main, StringComparison.Ordinal);
        Assert.Contains($"<li><a href=\"datasets/formations/index.html\">{title}</a> : CSV, Parquet</li>", main, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_home_page_claims_no_format_a_dataset_does_not_publish()
    {
        // A dataset published as CSV only: the home page said "Chaque jeu existe en CSV et en Parquet".
        using var site = new DemoSite();
        WriteDataset(site, Yaml + "\noutputs:\n  formats: [csv]\n");
        Assert.Equal(0, await PublishAsync(site));

        var home = File.ReadAllText(site.Path("index.html"));
        Assert.DoesNotContain("Parquet,", home, StringComparison.Ordinal);
        Assert.DoesNotContain("en CSV et en Parquet", home, StringComparison.Ordinal);
        Assert.Contains("<dd>CSV</dd>", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_catalogue_without_personal_data_claims_no_privacy_rule()
    {
        // A catalogue of training offers only: the about page said that contacts' details are never
        // published, described sole proprietors' pseudonyms, k-anonymity at k = 3 and the statistical
        // secret of "nombre d'adhérents", none of which the catalogue applies.
        using var site = new DemoSite();
        WriteDataset(site);
        Assert.Equal(0, await PublishAsync(site));

        static string Text(string html) => System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", ""));
        var about = Text(File.ReadAllText(site.Path("a-propos.html")));
        Assert.Contains("Aucun jeu de ce catalogue ne retire de champ de sa source ni n'applique de règle de confidentialité à ses champs publiés.", about, StringComparison.Ordinal);
        foreach (var claim in new[] { "personnes de contact", "entrepreneur", "k-anonymat", "Secret statistique", "adhérents", "Pseudonymisation", "Nettoyage du texte libre" })
        {
            Assert.DoesNotContain(claim, about, StringComparison.Ordinal);
        }

        var page = Text(File.ReadAllText(site.Path("datasets", "formations", "index.html")));
        foreach (var claim in new[] { "personnes de contact", "entrepreneur", "Texte libre", "jamais publiés" })
        {
            Assert.DoesNotContain(claim, page, StringComparison.Ordinal);
        }
    }
}
