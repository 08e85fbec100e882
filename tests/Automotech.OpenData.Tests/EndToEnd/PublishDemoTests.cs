using System.Text.Json;
using Automotech.OpenData.Releases;
using CsvHelper;

namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>The demo data published end to end, checked as its users would check it.</summary>
public sealed class PublishDemoTests : IClassFixture<PublishDemoTests.Published>
{
    private readonly Published published;

    public PublishDemoTests(Published published) => this.published = published;

    private DemoSite Site => published.Site;

    private string ParquetPath => Site.Path("datasets", "acteurs", "latest", "acteurs.parquet");

    private string CsvPath => Site.Path("datasets", "acteurs", "latest", "acteurs.csv");

    [Fact]
    public void Publish_succeeds_and_lays_out_the_published_tree()
    {
        Assert.Equal(0, published.ExitCode);
        foreach (var path in new[]
        {
            "index.html", "releases.json", "404.html", "robots.txt", "assets/site.css",
            "datasets/acteurs/index.html",
            "datasets/acteurs/2026-11-25/acteurs.csv", "datasets/acteurs/2026-11-25/acteurs.parquet",
            "datasets/acteurs/2026-11-25/datapackage.json", "datasets/acteurs/2026-11-25/index.html",
            "datasets/acteurs/latest/acteurs.csv", "datasets/acteurs/latest/acteurs.parquet", "datasets/acteurs/latest/datapackage.json",
        })
        {
            Assert.True(File.Exists(Site.Path(path.Split('/'))), $"missing {path}");
        }
    }

    [Fact]
    public void DuckDB_reads_the_Parquet_with_the_right_row_count_and_types()
    {
        var source = SourceRows();
        var expected = source.Count - 5 - 8; // the five deliberately bad rows, and the 8 sole proprietors k-anonymity withholds
        Assert.Equal((long)expected, DuckDb.Query($"SELECT count(*) FROM read_parquet({DuckDb.Quote(ParquetPath)})")[0][0]);
        var types = DuckDb.Query($"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet({DuckDb.Quote(ParquetPath)}))")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal("VARCHAR", types["identifiant"]);
        Assert.Equal("INTEGER", types["annee_adhesion"]);
        Assert.Equal("BOOLEAN", types["specialise_automobile"]);
        Assert.Equal("DOUBLE", types["latitude"]);
        Assert.Equal("DATE", types["date_mise_a_jour"]);
        Assert.Equal(23, types.Count);
    }

    [Fact]
    public void Csv_parses_back_to_the_same_rows_as_the_Parquet()
    {
        var csv = ReadCsv(CsvPath);
        var parquet = DuckDb.Query(
            $"SELECT * EXCLUDE (latitude, longitude), printf('%.5f', latitude), printf('%.5f', longitude) FROM read_parquet({DuckDb.Quote(ParquetPath)})");
        Assert.Equal(parquet.Count, csv.Count - 1);
        var header = csv[0];
        var lat = Array.IndexOf(header, "latitude");
        var lon = Array.IndexOf(header, "longitude");
        for (var r = 0; r < parquet.Count; r++)
        {
            var fromCsv = csv[r + 1].Where((_, i) => i != lat && i != lon).Append(Fixed5(csv[r + 1][lat])).Append(Fixed5(csv[r + 1][lon]));
            Assert.Equal(fromCsv, parquet[r].Select(AsCsvText));
        }
    }

    [Fact]
    public void No_personal_data_from_the_source_reaches_any_published_file()
    {
        var source = SourceRows();
        var secrets = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in source)
        {
            secrets.Add($"{row["contact_prenom"]} {row["contact_nom"]}");
            secrets.Add(row["contact_email"]);
            secrets.Add(Digits(row["contact_telephone"])[1..]); // the 9 significant digits, in any spelling
            secrets.Add(row["adresse"]); // street addresses are never published, a company's included
            if (row["categorie_juridique"].StartsWith('1') || row["statut_diffusion"] == "P")
            {
                secrets.Add(row["raison_sociale"]);
                secrets.Add(row["siret"]);
                if (row["site_web"].Length > 0)
                {
                    secrets.Add(row["site_web"]);
                }
            }
        }

        secrets.RemoveWhere(s => s.Trim().Length < 5);
        Assert.True(secrets.Count > 500, "the demo source should carry plenty of personal data to look for");
        var cells = new List<(string File, string Cell)>();
        foreach (var file in Directory.EnumerateFiles(Site.Site, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".parquet", StringComparison.Ordinal))
            {
                // Decoded, not grepped: compressed pages would hide a leak from a byte search.
                foreach (var row in DuckDb.Query($"SELECT * FROM read_parquet({DuckDb.Quote(file)})"))
                {
                    cells.AddRange(row.Select(v => (file, AsCsvText(v))));
                }
            }
            else if (file.EndsWith(".json", StringComparison.Ordinal) || file.EndsWith(".geojson", StringComparison.Ordinal) || file.EndsWith(".jsonld", StringComparison.Ordinal))
            {
                // Decoded too: JSON may escape characters (\u00e9) that a byte search would miss.
                cells.AddRange(JsonStrings(File.ReadAllText(file)).Select(v => (file, v)));
            }
            else
            {
                cells.Add((file, File.ReadAllText(file)));
            }
        }

        var leaks = (from c in cells
                     from s in secrets
                     where c.Cell.Contains(s, StringComparison.OrdinalIgnoreCase) || (s.All(char.IsAsciiDigit) && Digits(c.Cell).Contains(s, StringComparison.Ordinal) && s.Length == 9 && PhoneLike(c.Cell, s))
                     select $"{Path.GetRelativePath(Site.Site, c.File)}: {s}").Distinct().ToList();
        Assert.Empty(leaks);
    }

    [Fact]
    public void Sole_proprietors_are_published_pseudonymised_and_no_finer_than_their_commune()
    {
        var csv = ReadCsv(CsvPath);
        var h = csv[0];
        var rows = csv.Skip(1).Where(r => r[Array.IndexOf(h, "identifiant")].StartsWith("EI-", StringComparison.Ordinal)).ToList();

        // 12 in the demo: the 4 engineering offices of Haute-Garonne share a group once located at
        // the département; the 8 others stay alone even at NAF division level and are withheld.
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal("", r[Array.IndexOf(h, "site_web")]);
            Assert.Equal("", r[Array.IndexOf(h, "description")]);
            Assert.Equal("Entrepreneur individuel (nom non diffusé)", r[Array.IndexOf(h, "nom")]);
            var precision = r[Array.IndexOf(h, "precision_localisation")];
            var latitude = r[Array.IndexOf(h, "latitude")];
            if (precision == "commune")
            {
                var commune = Reference.Geography.Occitanie.FindCommune(r[Array.IndexOf(h, "code_commune")])!;
                Assert.Equal(commune.Latitude.ToString("F5", System.Globalization.CultureInfo.InvariantCulture), latitude);
            }
            else
            {
                Assert.Equal("departement", precision);
                Assert.Equal("", r[Array.IndexOf(h, "code_commune")]);
                Assert.Equal("", r[Array.IndexOf(h, "commune")]);
                var departement = Reference.Geography.Occitanie.FindDepartement(r[Array.IndexOf(h, "code_departement")])!;
                var chefLieu = Reference.Geography.Occitanie.FindCommune(departement.ChefLieu)!;
                Assert.Equal(chefLieu.Latitude.ToString("F5", System.Globalization.CultureInfo.InvariantCulture), latitude);
            }
        });
    }

    [Fact]
    public void Bad_rows_land_in_the_private_quarantine_with_their_reasons()
    {
        Assert.False(Path.GetFullPath(Site.Quarantine).StartsWith(Path.GetFullPath(Site.Site), StringComparison.Ordinal));
        var rejected = ReadCsv(Path.Combine(Site.Quarantine, "acteurs", "rejets.csv"));
        Assert.Equal(6, rejected.Count); // header + 5
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(Site.Quarantine, "acteurs", "rapport.json")));
        var errors = report.RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("type").GetString(), e.GetProperty("rowNumber").GetInt32(), e.GetProperty("fieldName").GetString()))
            .ToList();

        // The five deliberately bad rows of the demo sample, each where the generator put it.
        Assert.Equal(
            [("primary-key", 9, "siret"), ("naf-error", 72, "code_naf"), ("constraint-error", 88, "raison_sociale"), ("siret-error", 100, "siret"), ("commune-error", 119, "code_commune")],
            errors);
        Assert.Equal(["9", "72", "88", "100", "119"], rejected.Skip(1).Select(r => r[0]));
        using var rows = JsonDocument.Parse(File.ReadAllText(Path.Combine(Site.Quarantine, "acteurs", "rejets.json")));
        Assert.Equal("31999", rows.RootElement[4].GetProperty("valeurs").GetProperty("code_commune").GetString());
        Assert.True(report.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(5, report.RootElement.GetProperty("stats").GetProperty("rejectedRows").GetInt32());
        Assert.Empty(Directory.EnumerateFiles(Site.Site, "rejets.csv", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(Site.Site, "rapport.json", SearchOption.AllDirectories));
    }

    [Fact]
    public void The_public_summary_counts_rejections_by_rule_and_never_shows_a_rejected_value()
    {
        var page = File.ReadAllText(Site.Path("datasets", "acteurs", "index.html"));
        Assert.Contains("<td>siret-error</td><td>siret</td><td>1</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>commune-error</td><td>code_commune</td><td>1</td>", page, StringComparison.Ordinal);

        // Values that only rejected rows carry (their names, SIRETs, the unknown commune code).
        var rejected = ReadCsv(Path.Combine(Site.Quarantine, "acteurs", "rejets.csv")).Skip(1).ToList();
        var header = ReadCsv(Path.Combine(Site.Quarantine, "acteurs", "rejets.csv"))[0];
        var published = ReadCsv(CsvPath).Skip(1).SelectMany(r => r).ToHashSet(StringComparer.Ordinal);
        var privateValues = rejected
            .SelectMany(r => new[] { r[Array.IndexOf(header, "raison_sociale")], r[Array.IndexOf(header, "siret")], r[Array.IndexOf(header, "id_crm")] })
            .Where(v => v.Length > 0 && !published.Contains(v))
            .ToList();
        Assert.NotEmpty(privateValues);
        foreach (var file in Directory.EnumerateFiles(Site.Site, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".parquet", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain(privateValues, v => text.Contains(v, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Datapackage_lists_each_file_with_its_real_size_and_sha256()
    {
        var folder = Site.Path("datasets", "acteurs", "2026-11-25");
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "datapackage.json")));
        var resources = package.RootElement.GetProperty("resources").EnumerateArray().ToList();
        Assert.Equal(3, resources.Count); // csv, parquet, geojson
        foreach (var resource in resources)
        {
            var file = Path.Combine(folder, resource.GetProperty("path").GetString()!);
            Assert.Equal(new FileInfo(file).Length, resource.GetProperty("bytes").GetInt64());
            Assert.Equal("sha256:" + FileHash.Sha256(file), resource.GetProperty("hash").GetString());
            Assert.Equal("identifiant", resource.GetProperty("schema").GetProperty("primaryKey")[0].GetString());
        }

        Assert.Equal("2026-11-25", package.RootElement.GetProperty("version").GetString());
    }

    /// <summary>
    /// Each datapackage.json of the tree (every dataset, version folders and latest/) against the
    /// rules of the Frictionless Data Package v1 profiles that a validator (frictionless-py,
    /// datapackage-js) checks: a contributor's properties are strings when present (never null) and
    /// its role one of the profile's five; a tabular-data-package holds only Tabular Data Resources,
    /// whose data, if not inline, is a CSV file as v1 says (a Parquet file or a GeoJSON
    /// FeatureCollection is a data-resource). FrictionlessTests runs the reference implementation.
    /// </summary>
    [Fact]
    public void Every_datapackage_json_keeps_to_the_Data_Package_profile()
    {
        string[] roles = ["publisher", "author", "maintainer", "wrangler", "contributor"];
        var packages = Directory.EnumerateFiles(Site.Path("datasets"), "datapackage.json", SearchOption.AllDirectories).ToList();
        Assert.True(packages.Count >= 6, "three datasets, each in its version folder and latest/");
        foreach (var file in packages)
        {
            using var package = JsonDocument.Parse(File.ReadAllText(file));
            var contributors = package.RootElement.GetProperty("contributors").EnumerateArray().ToList();
            Assert.Equal(2, contributors.Count);
            foreach (var contributor in contributors)
            {
                Assert.All(contributor.EnumerateObject(), p => Assert.True(p.Value.ValueKind == JsonValueKind.String, $"{file}: contributors[].{p.Name} is {p.Value.ValueKind}, the profile wants a string"));
                Assert.Contains(contributor.GetProperty("role").GetString(), roles);
            }

            Assert.Contains(contributors, c => c.GetProperty("role").GetString() == "publisher" && c.TryGetProperty("path", out _));
            Assert.Contains(contributors, c => c.GetProperty("role").GetString() == "maintainer" && c.GetProperty("email").GetString() == "opendata@automotech.example");

            var resources = package.RootElement.GetProperty("resources").EnumerateArray().ToList();
            foreach (var resource in resources)
            {
                var format = resource.GetProperty("format").GetString();
                Assert.Equal(format is "csv" ? "tabular-data-resource" : "data-resource", resource.GetProperty("profile").GetString());
            }

            var allTabular = resources.All(r => r.GetProperty("profile").GetString() == "tabular-data-resource");
            Assert.Equal(allTabular ? "tabular-data-package" : "data-package", package.RootElement.GetProperty("profile").GetString());
        }
    }

    [Fact]
    public void Every_page_says_the_data_is_fictional()
    {
        var pages = Directory.EnumerateFiles(Site.Site, "*.html", SearchOption.AllDirectories).ToList();
        Assert.True(pages.Count >= 4);
        Assert.All(pages, page => Assert.Contains("Données fictives de démonstration", File.ReadAllText(page), StringComparison.Ordinal));
    }

    [Fact]
    public void Dataset_page_shows_dictionary_downloads_preview_and_licence()
    {
        var html = File.ReadAllText(Site.Path("datasets", "acteurs", "index.html"));
        Assert.Contains("Licence Ouverte", html, StringComparison.Ordinal);
        Assert.Contains("href=\"latest/acteurs.parquet\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"2026-11-25/acteurs.csv\"", html, StringComparison.Ordinal);
        Assert.Contains(FileHash.Sha256(CsvPath), html, StringComparison.Ordinal);
        Assert.Contains("<code>tranche_effectif</code>", html, StringComparison.Ordinal);
        var firstId = ReadCsv(CsvPath)[1][0];
        Assert.Contains($"<td>{firstId}</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Dataset_page_says_how_to_cite_and_embeds_schema_org()
    {
        var html = File.ReadAllText(Site.Path("datasets", "acteurs", "index.html"));
        Assert.Contains("<h2 id=\"citer\">Comment citer</h2>", html, StringComparison.Ordinal);
        Assert.Contains("version 2026-11-25, jeu de données publié le 25 novembre 2026, https://opendata.automotech.example/datasets/acteurs/2026-11-25/", html, StringComparison.Ordinal);
        Assert.Contains("@misc{automotech_acteurs_2026_11_25,", html, StringComparison.Ordinal);
        var json = System.Text.RegularExpressions.Regex.Match(html, "<script type=\"application/ld\\+json\">(.*?)</script>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        using var dataset = JsonDocument.Parse(json);
        Assert.Equal("Dataset", dataset.RootElement.GetProperty("@type").GetString());
        // The dataset's page describes the latest/ files: its @id is the dataset's, not the version's.
        Assert.Equal("https://opendata.automotech.example/datasets/acteurs/", dataset.RootElement.GetProperty("@id").GetString());
        Assert.Equal(3, dataset.RootElement.GetProperty("distribution").GetArrayLength());
        Assert.True(File.Exists(Site.Path("a-propos.html")));
    }

    [Fact]
    public void The_about_page_says_which_figures_of_chiffres_cles_the_secret_masks_as_the_data_shows()
    {
        // A journalist reads the method before quoting a small cell: chiffres-cles publishes its
        // counts of members as they are (1 or 2 included) and masks only the headcount and revenue.
        var csv = ReadCsv(Site.Path("datasets", "chiffres-cles", "latest", "chiffres-cles.csv"));
        var h = csv[0];
        Assert.Contains(csv.Skip(1), r => long.Parse(r[Array.IndexOf(h, "nombre_adherents")], System.Globalization.CultureInfo.InvariantCulture) < 3);
        var about = System.Net.WebUtility.HtmlDecode(File.ReadAllText(Site.Path("a-propos.html")));
        var secret = System.Text.RegularExpressions.Regex.Match(about, "<h3 id=\"secret-statistique\">.*?</p>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        Assert.DoesNotContain("nombre d'adhérents, effectif", secret, StringComparison.Ordinal);
        Assert.Contains("Le secret porte sur <code>effectif_total</code>, <code>chiffre_affaires_total_eur</code> ; les autres colonnes, comme les dénombrements, sont publiées telles quelles, même de 1 ou 2.", secret, StringComparison.Ordinal);
    }

    [Fact]
    public void The_validation_counts_on_a_page_add_up_to_the_published_rows()
    {
        // A journalist checks: read − rejected − withheld = published, and published = the CSV's rows.
        long N(System.Text.RegularExpressions.Match m, int group) => m.Groups[group].Success ? long.Parse(m.Groups[group].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;

        foreach (var page in new[] { Site.Path("datasets", "acteurs", "index.html"), Site.Path("datasets", "acteurs", "2026-11-25", "index.html") })
        {
            var m = System.Text.RegularExpressions.Regex.Match(Text(File.ReadAllText(page)), @"(\d+) lignes lues dans la source, (\d+) publiées, (\d+) écartées(?:, (\d+) retenues par le k-anonymat \(voir plus bas\))?\.");
            Assert.True(m.Success, page);
            Assert.Equal(ReadCsv(CsvPath).Count - 1, N(m, 2));
            Assert.Equal(N(m, 1), N(m, 2) + N(m, 3) + N(m, 4));
            Assert.Equal(8, N(m, 4)); // the sole proprietors k-anonymity withholds
        }

        // An aggregate's rows are cells, not the source's rows: it says so, and adds up too.
        var aggregate = Text(File.ReadAllText(Site.Path("datasets", "chiffres-cles", "index.html")));
        var a = System.Text.RegularExpressions.Regex.Match(aggregate, @"(\d+) lignes lues dans la source, agrégées en (\d+) lignes publiées ; (\d+) écartées\.");
        Assert.True(a.Success, "the aggregate's validation sentence");
        Assert.Equal(ReadCsv(Site.Path("datasets", "chiffres-cles", "latest", "chiffres-cles.csv")).Count - 1, N(a, 2));
    }

    [Fact]
    public void Each_privacy_report_and_the_about_page_say_only_what_the_datasets_rules_do()
    {
        // The Sirene page said "les coordonnées des personnes de contact ne sont jamais publiées"
        // and "1 entrepreneurs individuels … pas d'adresse, de site web ni de texte libre" (the
        // acteurs' rules), and "Texte libre : 0 adresses électroniques, 0 IBAN… remplacés" for a
        // dataset that scrubs no text; the about page described acteurs' k-anonymity (its fields,
        // its k) and chiffres-cles' secret as the whole catalogue's.

        var sirene = Text(File.ReadAllText(Site.Path("datasets", "sirene-automobile", "index.html")));
        Assert.DoesNotContain("personnes de contact", sirene, StringComparison.Ordinal);
        Assert.DoesNotContain("Texte libre", sirene, StringComparison.Ordinal);
        Assert.DoesNotContain("entrepreneurs individuels dans la source", sirene, StringComparison.Ordinal);
        Assert.Contains("1 entrepreneur individuel dans la source : voir la colonne « Lignes concernées » du tableau ci-dessous.", sirene, StringComparison.Ordinal);
        Assert.Contains("Champs de la source jamais publiés : etatAdministratifEtablissement.", sirene, StringComparison.Ordinal);

        var acteurs = Text(File.ReadAllText(Site.Path("datasets", "acteurs", "index.html")));
        Assert.Contains("contact_email, contact_telephone.", acteurs, StringComparison.Ordinal);
        Assert.Contains("Texte libre : ", acteurs, StringComparison.Ordinal);

        var about = Text(File.ReadAllText(Site.Path("a-propos.html")));
        Assert.Contains("Établissements de la filière automobile en Occitanie (Sirene) — démonstration : 1 champ de la source jamais publié ; pseudonymisation, retrait, localisation moins précise", about, StringComparison.Ordinal);
        Assert.Contains("Acteurs de la filière automobile en Occitanie (Automotech) : chaque combinaison publiée de type_acteur, ", about, StringComparison.Ordinal);
        Assert.Contains("est partagée par au moins 3 lignes. Sinon la fiche est généralisée : commune ramenée au département, puis activité (NAF) ramenée à la division ;", about, StringComparison.Ordinal);
        Assert.Contains("Chiffres clés de la filière automobile en Occitanie (Automotech) suit les règles de l'INSEE : une case qui compte moins de 3 entreprises, ou dont une seule entreprise fait plus de 85 % du total", about, StringComparison.Ordinal);
        Assert.DoesNotContain("personnes de contact", about, StringComparison.Ordinal);
    }

    [Fact]
    public void The_charts_and_the_map_count_what_the_datasets_rows_are()
    {
        // Sirene's charts and map counted "acteurs", the bundled CRM's word, for establishments.
        var sirene = System.Net.WebUtility.HtmlDecode(File.ReadAllText(Site.Path("datasets", "sirene-automobile", "index.html")));
        Assert.DoesNotContain("nombre d'acteurs", sirene, StringComparison.Ordinal);
        Assert.Contains("(Sirene) — démonstration : nombre d'établissements par département</title>", sirene, StringComparison.Ordinal);
        Assert.Contains("teintés selon le nombre d'établissements ;", sirene, StringComparison.Ordinal);
        var acteurs = System.Net.WebUtility.HtmlDecode(File.ReadAllText(Site.Path("datasets", "acteurs", "index.html")));
        Assert.Contains("(Automotech) : nombre d'acteurs par type d'acteur</title>", acteurs, StringComparison.Ordinal);
        Assert.Contains("(Sirene) — démonstration : nombre d'établissements par tranche d'effectif salarié (Insee)</title>", sirene, StringComparison.Ordinal);
        Assert.Equal("nombre de lignes", Automotech.OpenData.Site.DatasetPageBuilder.CountOf("lignes"));
        Assert.Equal("nombre d'hôpitaux", Automotech.OpenData.Site.DatasetPageBuilder.CountOf("hôpitaux"));
    }

    [Fact]
    public void The_map_says_how_precise_its_points_are_as_the_privacy_rules_made_them()
    {

        // Sirene: every establishment is at its commune's centroid, not only sole proprietors.
        var sirene = Text(File.ReadAllText(Site.Path("datasets", "sirene-automobile", "index.html")));
        Assert.Contains("points : positions publiées (toutes les lignes : position ramenée au centre de la commune)", sirene, StringComparison.Ordinal);
        Assert.DoesNotContain("centre de la commune pour les entrepreneurs individuels", sirene, StringComparison.Ordinal);

        // Acteurs: sole proprietors at their commune's centroid, or at the département's when k-anonymity needed it.
        var acteurs = Text(File.ReadAllText(Site.Path("datasets", "acteurs", "index.html")));
        Assert.Contains("points : positions publiées (entrepreneurs individuels : position ramenée au centre de la commune, puis k-anonymat, étape « commune ramenée au département »)", acteurs, StringComparison.Ordinal);
        var csv = ReadCsv(CsvPath);
        Assert.Contains(csv.Skip(1), r => r[Array.IndexOf(csv[0], "precision_localisation")] == "departement");
    }

    [Fact]
    public void Key_figures_have_anchors_and_can_be_checked_against_the_data()
    {
        var html = File.ReadAllText(Site.Path("datasets", "acteurs", "index.html"));
        var csv = ReadCsv(CsvPath);
        var status = Array.IndexOf(csv[0], "statut_adhesion");
        var specialised = Array.IndexOf(csv[0], "specialise_automobile");
        var members = csv.Skip(1).Count(r => r[status] == "adherent");
        var specialisedMembers = csv.Skip(1).Count(r => r[status] == "adherent" && r[specialised] == "true");
        Assert.Contains($"<li id=\"chiffre-acteurs\"><span class=\"value\">{csv.Count - 1}</span>", html, StringComparison.Ordinal);
        Assert.Contains($"<li id=\"chiffre-adherents\"><span class=\"value\">{members}</span>", html, StringComparison.Ordinal);
        Assert.Contains($"<li id=\"chiffre-adherents-specialises\"><span class=\"value\">{specialisedMembers}</span>", html, StringComparison.Ordinal);
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All).Encode("Pour le recalculer : acteurs.csv de la version 2026-11-25, nombre de lignes où statut_adhesion = adherent."), html, StringComparison.Ordinal);
        // A journalist copies the figure's link from the latest page: it must lead to the version's
        // page, whose figure does not change with the next version.
        Assert.Contains("<a href=\"2026-11-25/index.html#chiffre-adherents\">Lien permanent vers ce chiffre (version 2026-11-25)<span class=\"visually-hidden\"> : Adhérents</span></a>", html, StringComparison.Ordinal);
        var versionPage = File.ReadAllText(Site.Path("datasets", "acteurs", "2026-11-25", "index.html"));
        Assert.Contains($"<li id=\"chiffre-adherents\"><span class=\"value\">{members}</span>", versionPage, StringComparison.Ordinal);
        Assert.InRange(members, 180, 195);          // the demo echoes the cluster: about 190 members…
        Assert.InRange(specialisedMembers, 70, 85); // …about 80 of them specialised
    }

    [Fact]
    public void Home_key_figures_are_read_from_chiffres_cles_with_anchor_version_and_definition()
    {
        var home = File.ReadAllText(Site.Path("index.html"));
        var csv = ReadCsv(Site.Path("datasets", "chiffres-cles", "latest", "chiffres-cles.csv"));
        var h = csv[0];
        var region = csv.Single(r => r[Array.IndexOf(h, "niveau")] == "region");
        string Figure(string field) => long.Parse(region[Array.IndexOf(h, field)], System.Globalization.CultureInfo.InvariantCulture)
            .ToString("#,0", System.Globalization.CultureInfo.GetCultureInfo("fr-FR"));
        string Encoded(string text) => System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All).Encode(text);

        Assert.Equal("publie", region[Array.IndexOf(h, "statut_effectif")]);
        Assert.Contains($"<li id=\"chiffre-adherents\"><span class=\"value\">{Figure("nombre_adherents")}</span>", home, StringComparison.Ordinal);
        Assert.Contains($"<li id=\"chiffre-effectif\"><span class=\"value\">{Encoded(Figure("effectif_total"))}</span>", home, StringComparison.Ordinal);
        Assert.Contains($"<li id=\"chiffre-chiffre-affaires\"><span class=\"value long\">{Encoded(Figure("chiffre_affaires_total_eur") + "\u00A0€")}</span>", home, StringComparison.Ordinal);
        Assert.Contains("href=\"datasets/chiffres-cles/2026-11-25/index.html#chiffre-effectif\"", home, StringComparison.Ordinal);
        Assert.Contains("Somme des effectifs salariés déclarés par les adhérents", home, StringComparison.Ordinal);
        Assert.Contains(Encoded("Pour le recalculer : chiffres-cles.csv de la version 2026-11-25, la ligne où niveau = region, colonne effectif_total."), home, StringComparison.Ordinal);

        // The demo echoes the cluster: about 190 members, 80 specialised, 11,000 employees, €2bn.
        long Value(string field) => long.Parse(region[Array.IndexOf(h, field)], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(Value("nombre_adherents"), 180, 195);
        Assert.InRange(Value("nombre_adherents_specialises"), 70, 85);
        Assert.InRange(Value("effectif_total"), 10_000, 12_000);
        Assert.InRange(Value("chiffre_affaires_total_eur"), 1_800_000_000, 2_200_000_000);
    }

    [Fact]
    public void Charts_and_map_count_every_published_row()
    {
        var html = File.ReadAllText(Site.Path("datasets", "acteurs", "index.html"));
        var csv = ReadCsv(CsvPath);
        var departement = Array.IndexOf(csv[0], "code_departement");
        var inToulouse = csv.Skip(1).Count(r => r[departement] == "31");
        Assert.Contains("<svg class=\"map\"", html, StringComparison.Ordinal);
        Assert.Contains($"<td>Haute-Garonne (31)</td><td>{inToulouse}</td>", html, StringComparison.Ordinal);
        Assert.Equal(13, System.Text.RegularExpressions.Regex.Count(html, "<path d=\"M"));            // the 13 départements
        Assert.Equal(csv.Count - 1, System.Text.RegularExpressions.Regex.Count(html, "<circle "));     // one point per row
        var type = Array.IndexOf(csv[0], "type_acteur");
        Assert.Contains($">{csv.Skip(1).Count(r => r[type] == "pme")}</text>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Same_input_key_and_clock_give_byte_identical_outputs()
    {
        using var other = new DemoSite();
        Assert.Equal(0, await other.RunAsync("publish"));
        Assert.Equal(published.FirstSnapshot, other.Snapshot());
    }

    [Fact]
    public async Task Overlapping_the_stages_changes_no_published_or_quarantined_byte()
    {
        // 7-row batches: 36 of them, so the read-ahead and the write-behind really take turns.
        using var sequential = new DemoSite();
        Assert.Equal(0, await sequential.RunAsync("publish", "--Pipeline:BatchSize=7"));
        using var overlapped = new DemoSite();
        Assert.Equal(0, await overlapped.RunAsync("publish", "--Pipeline:BatchSize=7", "--Pipeline:Overlap=true"));
        Assert.Equal(sequential.Snapshot(), overlapped.Snapshot());
        foreach (var file in Directory.GetFiles(sequential.Quarantine, "*", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(sequential.Quarantine, file);
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(System.IO.Path.Combine(overlapped.Quarantine, relative)));
        }

        Assert.NotEmpty(Directory.GetFiles(sequential.Quarantine, "rejets.csv", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task The_number_of_threads_changes_no_published_or_quarantined_byte()
    {
        // 5,000 generated rows in one batch: 3 threads take 1,666 rows each.
        using var one = new DemoSite();
        var source = one.Temp("acteurs.csv");
        await using (var file = File.Create(source))
        {
            Automotech.OpenData.DemoData.DemoActorGenerator.Write(file, 5_000, seed: 11);
        }

        var key = $"--Anonymisation:Key={new string('k', 40)}";
        Assert.Equal(0, await one.RunAsync("publish", "--pipeline", "acteurs", "--source", source, key, "--Pipeline:Threads=1"));
        using var three = new DemoSite();
        Assert.Equal(0, await three.RunAsync("publish", "--pipeline", "acteurs", "--source", source, key, "--Pipeline:Threads=3"));
        Assert.Equal(one.Snapshot(), three.Snapshot());
        var quarantined = Directory.GetFiles(one.Quarantine, "*", SearchOption.AllDirectories);
        Assert.Contains(quarantined, f => System.IO.Path.GetFileName(f) == "rejets.csv");
        foreach (var file in quarantined)
        {
            var relative = System.IO.Path.GetRelativePath(one.Quarantine, file);
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(System.IO.Path.Combine(three.Quarantine, relative)));
        }
    }

    [Fact]
    public async Task The_404_page_links_under_the_base_urls_path_when_the_site_is_served_below_the_root()
    {
        // Served for a missing URL at any depth, 404.html needs absolute paths: those of the
        // site's own folder (https://example.org/opendata/), not of the host's root.
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "sirene-automobile", "--Site:BaseUrl=https://example.org/opendata/"));
        var page = await File.ReadAllTextAsync(site.Path("404.html"));
        Assert.Contains("href=\"/opendata/assets/site.css\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/opendata/index.html\"", page, StringComparison.Ordinal);
        Assert.DoesNotMatch("(href|src)=\"/(?!opendata/)", page);
    }

    [Fact]
    public async Task A_bad_thread_count_exits_1_with_the_reason()
    {
        using var site = new DemoSite();
        Assert.Equal(1, await site.RunAsync("publish", "--Pipeline:Threads=0"));
        Assert.Contains("Pipeline:Threads must be a whole number between 1 and 64, not '0'.", site.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_run_on_unchanged_input_creates_no_version_and_changes_no_file()
    {
        var before = Site.Snapshot();
        Site.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await Site.RunAsync("publish"));
        Assert.Contains("no new version", Site.Output, StringComparison.Ordinal);
        Assert.Equal(before, Site.Snapshot());
    }

    internal static List<Dictionary<string, string>> SourceRows()
    {
        var rows = ReadCsv(Repo.DemoSource);
        return rows.Skip(1).Select(r => rows[0].Select((h, i) => (h, v: r[i])).ToDictionary(x => x.h, x => x.v)).ToList();
    }

    /// <summary>A page's text as a reader sees it: tags out, entities decoded.</summary>
    private static string Text(string html) => System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", ""));

    /// <summary>A strict RFC 4180 read: malformed quoting or a ragged row fails the test.</summary>
    internal static List<string[]> ReadCsv(string path)
    {
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = false,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
            MalformedData = CsvMalformedDataHandling.Throw,
        };
        using var reader = CsvReader.Create(File.OpenRead(path), options, leaveOpen: false);
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
        }

        return rows;
    }

    internal static string AsCsvText(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        DateTime d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Fixed5(string text) => text.Length == 0 ? "" : double.Parse(text, System.Globalization.CultureInfo.InvariantCulture).ToString("F5", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every string and number of a JSON document, decoded.</summary>
    internal static IEnumerable<string> JsonStrings(string json)
    {
        var stack = new Stack<JsonElement>([JsonDocument.Parse(json).RootElement]);
        while (stack.TryPop(out var e))
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        yield return p.Name;
                        stack.Push(p.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        stack.Push(item);
                    }

                    break;
                case JsonValueKind.String:
                    yield return e.GetString()!;
                    break;
                case JsonValueKind.Number:
                    yield return e.GetRawText();
                    break;
            }
        }
    }

    [Fact]
    public void GeoJSON_has_one_point_per_published_row_at_its_published_position()
    {
        var csv = ReadCsv(CsvPath);
        var h = csv[0];
        using var doc = JsonDocument.Parse(File.ReadAllText(Site.Path("datasets", "acteurs", "latest", "acteurs.geojson")));
        Assert.Equal("FeatureCollection", doc.RootElement.GetProperty("type").GetString());
        var features = doc.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(csv.Count - 1, features.Count);
        for (var i = 0; i < features.Count; i++)
        {
            var row = csv[i + 1];
            var properties = features[i].GetProperty("properties");
            Assert.Equal(row[Array.IndexOf(h, "identifiant")], properties.GetProperty("identifiant").GetString());
            var coordinates = features[i].GetProperty("geometry").GetProperty("coordinates");
            Assert.Equal(Fixed5(row[Array.IndexOf(h, "longitude")]), coordinates[0].GetDouble().ToString("F5", System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(Fixed5(row[Array.IndexOf(h, "latitude")]), coordinates[1].GetDouble().ToString("F5", System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(row[Array.IndexOf(h, "specialise_automobile")] == "true", properties.GetProperty("specialise_automobile").GetBoolean());
            // Typed as the schema says: a year is a JSON number, an empty cell null, never "".
            var year = row[Array.IndexOf(h, "annee_adhesion")];
            var published = properties.GetProperty("annee_adhesion");
            Assert.Equal(year.Length == 0 ? JsonValueKind.Null : JsonValueKind.Number, published.ValueKind);
            if (year.Length > 0)
            {
                Assert.Equal(year, published.GetRawText());
            }
        }
    }

    internal static string Digits(string text) => new(text.Where(char.IsAsciiDigit).ToArray());

    // A 9-digit match counts only inside a run of digits and separators, as a written phone number.
    internal static bool PhoneLike(string cell, string nineDigits) =>
        System.Text.RegularExpressions.Regex.Matches(cell, @"[0-9][0-9 .\-()+]{8,}[0-9]")
            .Any(m => Digits(m.Value).Contains(nineDigits, StringComparison.Ordinal));

    /// <summary>One publish of the demo data, shared by the tests of this class.</summary>
    public sealed class Published : IAsyncLifetime
    {
        public DemoSite Site { get; } = new();

        public int ExitCode { get; private set; }

        /// <summary>The tree right after the first publish, before any test runs again.</summary>
        public Dictionary<string, string> FirstSnapshot { get; private set; } = [];

        public async Task InitializeAsync()
        {
            ExitCode = await Site.RunAsync("publish");
            FirstSnapshot = Site.Snapshot();
        }

        public Task DisposeAsync()
        {
            Site.Dispose();
            return Task.CompletedTask;
        }
    }
}
