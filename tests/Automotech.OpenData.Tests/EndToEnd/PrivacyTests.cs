using System.Globalization;
using System.Text.Json;
using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>Issue 4 as its users would check it: leaks, k-anonymity, the secret of the key figures, pseudonyms.</summary>
public sealed class PrivacyTests
{
    private const string Key = "une-clé-de-test-assez-longue-pour-le-pipeline-0001";

    /// <summary>Values planted in the free text of companies' rows: each must come out masked.</summary>
    private static readonly string[] Planted =
    [
        "claire.planted@exemple-prive.fr",
        "+33 6 39 98 11 22",
        "0033 (0)5 36 49 33 44",
        "05.36.49.55.66",
        "06-39-98-77-88",
        "0536490099",
        "FR76 3000 6000 0112 3456 7890 189",
        "linkedin.com/in/claire-planted-42",
        "https://www.facebook.com/claire.planted.perso",

        // A CRM note's names after a civility and dates of birth (the red team's; names invented).
        "Mme Ermeline Vautrain, née le 12/03/1975, gérante",
        "M.\u00A0Gontran PLANTEVIGNE, DDN 04.11.1968",
        "Me Ysaline d’Oustalbrac (née à Albi le 3 avril 1980)",

        // Names without a civility, after a role or a contact cue (README, "What scrub masks"; names invented).
        "Contact : Zélinde Brancaleuse, gérante",
        "Directrice générale Aubéline Corbefrancq ; société fondée par Théodric Malvezoux",
    ];

    [Fact]
    public async Task Planted_identifiers_and_every_direct_identifier_of_the_source_reach_no_published_byte()
    {
        using var site = new DemoSite();
        var rows = PublishDemoTests.ReadCsv(Repo.DemoSource);
        var header = rows[0];
        var description = Array.IndexOf(header, "description");
        var (category, diffusion) = (Array.IndexOf(header, "categorie_juridique"), Array.IndexOf(header, "statut_diffusion"));
        Assert.True(description > 0);

        // Plant one value in the description of each of the first companies (their text is published, scrubbed).
        var target = 0;
        for (var i = 1; i < rows.Count && target < Planted.Length; i++)
        {
            var line = i + 1;
            if (rows[i][category].StartsWith('1') || rows[i][diffusion] == "P" || line is 9 or 72 or 88 or 100 or 119)
            {
                continue;
            }

            rows[i][description] = $"Pour nous joindre : {Planted[target++]} (demander l'atelier).";
        }

        Assert.Equal(Planted.Length, target);

        // And in every natural person's free text, whose fields are never published for them.
        var (subsectors, themes) = (Array.IndexOf(header, "sous_filieres"), Array.IndexOf(header, "thematiques"));
        for (var i = 1; i < rows.Count; i++)
        {
            if (rows[i][category].StartsWith('1') || rows[i][diffusion] == "P")
            {
                rows[i][description] = "Atelier de Gaspard Plantenaire, appeler le 06 39 98 12 34.";
                rows[i][subsectors] = "motorisation|Gaspard Plantenaire";
                rows[i][themes] = "plantenaire-theme-secret";
            }
        }

        var source = site.Temp("planted.csv");
        WriteQuotedCsv(source, rows);
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={Key}"));

        var secrets = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in PublishDemoTests.SourceRows())
        {
            secrets.Add($"{row["contact_prenom"]} {row["contact_nom"]}");
            secrets.Add(row["contact_email"]);
            secrets.Add(row["adresse"]);
            if (row["categorie_juridique"].StartsWith('1') || row["statut_diffusion"] == "P")
            {
                secrets.Add(row["raison_sociale"]);
                secrets.Add(row["siret"]);
                secrets.Add(row["site_web"]);
            }
        }

        secrets.UnionWith(["Plantenaire", "plantenaire-theme-secret", "claire.planted", "exemple-prive", "3000 6000 0112", "30006000011234567890189", "claire-planted", "claire.planted.perso"]);
        secrets.UnionWith(["Ermeline", "Vautrain", "Gontran", "Plantevigne", "Ysaline", "Oustalbrac", "12/03/1975", "04.11.1968", "3 avril 1980"]);
        secrets.UnionWith(["Zélinde", "Brancaleuse", "Aubéline", "Corbefrancq", "Théodric", "Malvezoux"]);
        secrets.RemoveWhere(s => s.Trim().Length < 6);
        var phones = Planted.Take(6).Skip(1).Append("06 39 98 12 34").Select(p => PublishDemoTests.Digits(p)[^9..]).ToList();

        var cells2 = PublishedCells(site);
        Assert.Contains(cells2, c => c.File.EndsWith("acteurs.csv", StringComparison.Ordinal) && c.Cell.Contains("[IBAN masqué]", StringComparison.Ordinal));
        Assert.Contains(cells2, c => c.File.EndsWith("acteurs.geojson", StringComparison.Ordinal) && c.Cell.Contains("[IBAN masqué]", StringComparison.Ordinal));
        var leaks = (from c in cells2
                     from s in secrets
                     where c.Cell.Contains(s, StringComparison.OrdinalIgnoreCase)
                     select $"{Path.GetRelativePath(site.Site, c.File)}: {s}")
            .Concat(from c in cells2
                    from p in phones
                    where PublishDemoTests.PhoneLike(c.Cell, p)
                    select $"{Path.GetRelativePath(site.Site, c.File)}: phone {p}")
            .Distinct().ToList();
        Assert.Empty(leaks);
        Assert.DoesNotContain(secrets.Where(s => s.Length >= 8), s => site.Output.Contains(s, StringComparison.OrdinalIgnoreCase)); // nor the run's summary
        Assert.Contains("acteurs: new version", site.Log, StringComparison.Ordinal); // nor the log of this run, at every level
        Assert.DoesNotContain(secrets.Where(s => s.Length >= 8), s => site.Log.Contains(s, StringComparison.OrdinalIgnoreCase));

        // Nor its log: in-process the worker logs to the test process's console, not to site.Output,
        // so the built Worker publishes the same source here, its log read at CI's level (Information).
        using (var temp = new TempFolder())
        {
            var (code, stdout, stderr) = await FailureTests.RunBuiltWorkerAsync(temp, ["publish", "--output", temp.Combine("site")], ["--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={Key}"]);
            Assert.True(code == 0, stderr);
            Assert.Contains("acteurs: new version ", stdout + stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(secrets.Where(s => s.Length >= 8), s => (stdout + stderr).Contains(s, StringComparison.OrdinalIgnoreCase));
        }

        // The note reads on, masked where a person was.
        var published = PublishDemoTests.ReadCsv(site.Path("datasets", "acteurs", "latest", "acteurs.csv"));
        var descriptions = published.Select(r => r[Array.IndexOf(published[0], "description")]).ToList();
        Assert.Contains("Pour nous joindre : Mme [nom masqué], [date de naissance masquée], gérante (demander l'atelier).", descriptions);
        Assert.Contains("Pour nous joindre : M.\u00A0[nom masqué], [date de naissance masquée] (demander l'atelier).", descriptions);
        Assert.Contains("Pour nous joindre : Me [nom masqué] ([date de naissance masquée]) (demander l'atelier).", descriptions);
        Assert.Contains("Pour nous joindre : Contact : [nom masqué], gérante (demander l'atelier).", descriptions);
        Assert.Contains("Pour nous joindre : Directrice générale [nom masqué] ; société fondée par [nom masqué] (demander l'atelier).", descriptions);

        // The privacy report counts the markers (5 phones, 1 IBAN, 2 profile links, 1 e-mail, 3 names
        // after a civility, 3 after a cue and 3 dates of birth planted on top of the demo's, which has
        // neither names nor dates of birth), and the page says so.
        using var manifest = JsonDocument.Parse(File.ReadAllText(site.Path("releases.json")));
        var scrubbed = manifest.RootElement.GetProperty("datasets").EnumerateArray().First(d => d.GetProperty("id").GetString() == "acteurs")
            .GetProperty("versions")[0].GetProperty("privacy").GetProperty("scrubbed");
        Assert.Equal(1, scrubbed.GetProperty("iban").GetInt64());
        Assert.Equal(2, scrubbed.GetProperty("lien-personnel").GetInt64());
        Assert.Equal(6, scrubbed.GetProperty("nom").GetInt64());
        Assert.Equal(3, scrubbed.GetProperty("date-naissance").GetInt64());
        var page = System.Net.WebUtility.HtmlDecode(File.ReadAllText(site.Path("datasets", "acteurs", "index.html")));
        Assert.Contains("3 dates de naissance, 1 IBAN", page, StringComparison.Ordinal);
        Assert.Contains("6 noms précédés d'une civilité ou d'une fonction", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1001")] // a typo for 1000: no such INSEE category, but four digits
    [InlineData("1950")]
    [InlineData("0000")]
    public async Task A_sole_trader_whose_legal_category_is_mistyped_is_never_published_as_a_company(string category)
    {
        // README: natural persons are legal categories 1xxx. A sole trader typed 1001 in the CRM
        // was published with their name, website, description and exact position.
        using var site = new DemoSite();
        var rows = PublishDemoTests.ReadCsv(Repo.DemoSource);
        var header = rows[0];
        var (categoryField, diffusion) = (Array.IndexOf(header, "categorie_juridique"), Array.IndexOf(header, "statut_diffusion"));
        var soleTrader = rows.Skip(1).First(r => r[categoryField] == "1000" && r[diffusion] == "O");
        soleTrader[categoryField] = category;
        var source = site.Temp("mistyped.csv");
        WriteQuotedCsv(source, rows);
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={Key}"));

        var name = soleTrader[Array.IndexOf(header, "raison_sociale")];
        var siret = soleTrader[Array.IndexOf(header, "siret")];
        Assert.DoesNotContain(PublishedCells(site), c => c.Cell.Contains(name, StringComparison.OrdinalIgnoreCase) || c.Cell.Contains(siret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sole_traders_pseudonym_differs_between_datasets_so_that_one_cannot_undo_the_others_generalisation()
    {
        // The same sole trader in acteurs (generalised to the département by k-anonymity) and in
        // sirene-automobile (diffusion P, published at its commune with its creation date): with one
        // pseudonym for both, the second's row told where the first's was, and k-anonymity was void.
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", $"--Anonymisation:Key={Key}"));
        var sireneRows = PublishDemoTests.ReadCsv(Path.Combine(Repo.Root, "samples", "sirene-etablissements-demo.csv"));
        var header = sireneRows[0];
        int Column(string name) => Array.IndexOf(header, name);
        var template = sireneRows.Skip(1).First(r => r[Column("statutDiffusionEtablissement")] == "P");
        foreach (var actor in PublishDemoTests.SourceRows().Where(r => r["categorie_juridique"].StartsWith('1') || r["statut_diffusion"] == "P"))
        {
            var row = (string[])template.Clone();
            var siret = PublishDemoTests.Digits(actor["siret"]);
            (row[Column("siren")], row[Column("nic")], row[Column("siret")]) = (siret[..9], siret[9..], siret);
            (row[Column("codeCommuneEtablissement")], row[Column("codePostalEtablissement")]) = (actor["code_commune"], actor["code_postal"]);
            (row[Column("activitePrincipaleEtablissement")], row[Column("etatAdministratifEtablissement")]) = ("45.20A", "A");
            sireneRows.Add(row);
        }

        var sirene = site.Temp("sirene.csv");
        WriteQuotedCsv(sirene, sireneRows);
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "sirene-automobile", "--source", sirene, $"--Anonymisation:Key={Key}"));

        HashSet<string> Pseudonyms(string dataset)
        {
            var rows = PublishDemoTests.ReadCsv(site.Path("datasets", dataset, "latest", dataset + ".csv"));
            var identifiant = Array.IndexOf(rows[0], "identifiant");
            return [.. rows.Skip(1).Select(r => r[identifiant]).Where(i => i.StartsWith(OpenData.Anonymisation.Pseudonymiser.Prefix, StringComparison.Ordinal))];
        }

        var (acteurs, sireneAutomobile) = (Pseudonyms("acteurs"), Pseudonyms("sirene-automobile"));
        Assert.NotEmpty(acteurs);
        Assert.True(sireneAutomobile.Count > acteurs.Count);
        Assert.Empty(acteurs.Intersect(sireneAutomobile));
    }

    [Fact]
    public async Task Contact_details_planted_in_a_companys_name_sectors_themes_and_website_reach_no_published_byte()
    {
        // A careless CRM user types contact details in any text column, not only the description:
        // the name, sub-sectors and themes of a company are published, so they are scrubbed, and
        // a website that is someone's profile is not published at all.
        using var site = new DemoSite();
        var rows = PublishDemoTests.ReadCsv(Repo.DemoSource);
        var header = rows[0];
        int Column(string name) => Array.IndexOf(header, name);
        var companies = Enumerable.Range(1, rows.Count - 1)
            .Where(i => !rows[i][Column("categorie_juridique")].StartsWith('1') && rows[i][Column("statut_diffusion")] != "P" && i + 1 is not (9 or 72 or 88 or 100 or 119))
            .Where(i => rows[i][Column("site_web")].Length > 0).Take(4).ToList();
        var (name, sectors, themes, website, description) = (Column("raison_sociale"), Column("sous_filieres"), Column("thematiques"), Column("site_web"), Column("description"));
        var company = rows[companies[0]][name];
        rows[companies[0]][name] = $"{company} (Zébulon, zq.nom@exemple-prive.fr, 06 12 34 56 70)";
        rows[companies[1]][sectors] = "motorisation|zq.filiere@exemple-prive.fr|06.12.34.56.71";
        rows[companies[1]][themes] = "hydrogene|+33 6 12 34 56 72|FR14 2004 1010 0505 0001 3M02 606|linkedin.com/in/zq-theme";
        rows[companies[1]][website] = "https://www.linkedin.com/in/zq-site-linkedin";
        rows[companies[2]][website] = "https://m.facebook.com/zq.site.facebook";
        rows[companies[3]][website] = "https://www.viadeo.com/p/zq-site-viadeo";
        rows[companies[3]][description] = "Joindre le gérant au (+33) 6 12 34 56 73 ou au 06  12  34  56  74, https://fr.viadeo.com/fr/profile/zq.desc.viadeo.";

        var source = site.Temp("planted.csv");
        WriteQuotedCsv(source, rows);
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={Key}"));

        var cells = PublishedCells(site);
        string[] secrets = ["zq.nom", "zq.filiere", "exemple-prive", "zq-theme", "2004 1010", "3M02", "zq-site", "zq.site", "zq.desc", "linkedin", "viadeo", "facebook"];
        var leaks = (from c in cells
                     from s in secrets
                     where c.Cell.Contains(s, StringComparison.OrdinalIgnoreCase)
                     select $"{Path.GetRelativePath(site.Site, c.File)}: {s}")
            .Concat(from c in cells
                    from n in Enumerable.Range(0, 5)
                    where PublishDemoTests.PhoneLike(c.Cell, $"61234567{n}")
                    select $"{Path.GetRelativePath(site.Site, c.File)}: phone 61234567{n}")
            .Distinct().ToList();
        Assert.Empty(leaks);

        // The company keeps its public name and website; only what was planted in them went.
        var published = PublishDemoTests.ReadCsv(site.Path("datasets", "acteurs", "latest", "acteurs.csv"));
        var nameColumn = Array.IndexOf(published[0], "nom");
        Assert.Contains(published, r => r[nameColumn] == $"{company} (Zébulon, [courriel masqué], [téléphone masqué])");
        Assert.Contains(published, r => r[Array.IndexOf(published[0], "site_web")] == rows[companies[0]][website]);

        // The privacy report counts the three websites withheld (a count, never a value), and the page says so.
        using var releases = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(site.Path("releases.json")));
        var acteurs = releases.RootElement.GetProperty("datasets").EnumerateArray().Single(d => d.GetProperty("id").GetString() == "acteurs");
        var scrubbed = acteurs.GetProperty("versions").EnumerateArray().Last().GetProperty("privacy").GetProperty("scrubbed");
        Assert.Equal(3, scrubbed.GetProperty("valeur-personnelle-retiree").GetInt64());
        Assert.Contains("Sites web non publiés parce qu'ils désignent une personne (profil personnel, courriel ou téléphone) : 3.", File.ReadAllText(site.Path("datasets", "acteurs", "index.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_columns_header_is_counted_in_the_public_summary_but_never_named()
    {
        // A CRM export may carry a custom column named after a person: its header is private text.
        using var site = new DemoSite();
        var rows = PublishDemoTests.ReadCsv(Repo.DemoSource);
        rows[0] = [.. rows[0], "Suivi par Zébulon Quintavalle"];
        for (var i = 1; i < rows.Count; i++)
        {
            rows[i] = [.. rows[i], ""];
        }

        var source = site.Temp("extra-column.csv");
        WriteQuotedCsv(source, rows);
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={Key}"));

        Assert.DoesNotContain(PublishedCells(site), c => c.Cell.Contains("Quintavalle", StringComparison.OrdinalIgnoreCase));
        using var manifest = JsonDocument.Parse(File.ReadAllText(site.Path("releases.json")));
        var warnings = manifest.RootElement.GetProperty("datasets").EnumerateArray().First(d => d.GetProperty("id").GetString() == "acteurs")
            .GetProperty("versions")[0].GetProperty("validation").GetProperty("warnings").EnumerateArray();
        Assert.Contains(warnings, w => w.GetProperty("type").GetString() == "extra-label" && w.GetProperty("field").GetString() == "colonne n° 30" && w.GetProperty("count").GetInt64() == 1);
    }

    [Fact]
    public async Task An_unknown_columns_header_reaches_no_log_report_or_published_file_only_its_position()
    {
        // The built Worker, as CI runs it: its logs go to the console. Two columns of a CRM export
        // carry a person's name (extra-label twice, duplicate-label once).
        using var temp = new TempFolder();
        const string Header = "Suivi par Zébulon Quintavalle";
        var rows = PublishDemoTests.ReadCsv(Repo.DemoSource);
        Assert.Equal(29, rows[0].Length);
        rows[0] = [.. rows[0], Header, Header.ToUpperInvariant()];
        for (var i = 1; i < rows.Count; i++)
        {
            rows[i] = [.. rows[i], "", ""];
        }

        var source = temp.Combine("extra-columns.csv");
        WriteQuotedCsv(source, rows);
        foreach (var verb in new[] { "validate", "publish" })
        {
            string[] args = verb == "publish" ? ["publish", "--output", temp.Combine("site")] : ["validate"];
            var (code, stdout, stderr) = await FailureTests.RunBuiltWorkerAsync(temp, args, ["--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={Key}"]);
            Assert.True(code == 0, stderr);
            Assert.DoesNotContain("Quintavalle", stdout + stderr, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("warning extra-label on colonne n° 30: 1 row(s), kept", stdout + stderr, StringComparison.Ordinal);
            Assert.Contains("warning extra-label on colonne n° 31: 1 row(s), kept", stdout + stderr, StringComparison.Ordinal);
        }

        // Only the private rejected rows may hold it (they do not: an ignored column's cells are not kept).
        var files = Directory.EnumerateFiles(temp.Path, "*", SearchOption.AllDirectories).Where(f => f != source).ToList();
        Assert.Contains(files, f => f.EndsWith("rapport.json", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("releases.json", StringComparison.Ordinal));
        Assert.All(files.Where(f => !Path.GetFileName(f).StartsWith("rejets.", StringComparison.Ordinal)),
            f => Assert.DoesNotContain("Quintavalle", File.ReadAllText(f), StringComparison.OrdinalIgnoreCase));

        using var report = JsonDocument.Parse(File.ReadAllText(Assert.Single(files, f => f.EndsWith("rapport.json", StringComparison.Ordinal))));
        var warnings = report.RootElement.GetProperty("warnings").EnumerateArray().ToList();
        var extra = warnings.Where(w => w.GetProperty("type").GetString() == "extra-label").ToList();
        Assert.Equal(["colonne n° 30", "colonne n° 31"], extra.Select(w => w.GetProperty("fieldName").GetString()));
        Assert.Equal("la colonne n° 30 ne correspond à aucun champ du pipeline : elle est ignorée", extra[0].GetProperty("message").GetString());
        var duplicate = Assert.Single(warnings, w => w.GetProperty("type").GetString() == "duplicate-label");
        Assert.Equal("les colonnes n° 30, 31, inconnues du pipeline, portent le même nom : elles sont ignorées", duplicate.GetProperty("message").GetString());

        using var manifest = JsonDocument.Parse(File.ReadAllText(temp.Combine("site", "releases.json")));
        var published = manifest.RootElement.GetProperty("datasets").EnumerateArray().First(d => d.GetProperty("id").GetString() == "acteurs")
            .GetProperty("versions")[0].GetProperty("validation").GetProperty("warnings").EnumerateArray().ToList();
        Assert.Contains(published, w => w.GetProperty("type").GetString() == "extra-label" && w.GetProperty("field").GetString() == "colonne n° 30" && w.GetProperty("count").GetInt64() == 1);
    }

    [Fact]
    public async Task A_position_error_keeps_its_two_fields_in_the_public_summary_and_in_validate()
    {
        // position-error names latitude,longitude together: not a declared field, still public.
        using var site = new DemoSite();
        var rows = PublishDemoTests.ReadCsv(Repo.DemoSource);
        var (latitude, longitude) = (Array.IndexOf(rows[0], "latitude"), Array.IndexOf(rows[0], "longitude"));
        Assert.Equal("Tournefeuille", rows[1][Array.IndexOf(rows[0], "commune")]);
        (rows[1][latitude], rows[1][longitude]) = ("43.61092", "3.87723"); // Montpellier, 200 km away
        var source = site.Temp("far.csv");
        WriteQuotedCsv(source, rows);

        Assert.Equal(0, await site.RunAsync("validate", "--pipeline", "acteurs", "--source", source));
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(site.Output, @"\n  position-error\s+latitude,longitude\s+\d+\r?\n"), site.Output);

        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={Key}"));
        using var manifest = JsonDocument.Parse(File.ReadAllText(site.Path("releases.json")));
        var errors = manifest.RootElement.GetProperty("datasets").EnumerateArray().First(d => d.GetProperty("id").GetString() == "acteurs")
            .GetProperty("versions")[0].GetProperty("validation").GetProperty("errors").EnumerateArray().ToList();
        Assert.Contains(errors, e => e.GetProperty("type").GetString() == "position-error" && e.GetProperty("field").GetString() == "latitude,longitude" && e.GetProperty("count").GetInt64() >= 1);
        Assert.DoesNotContain(errors, e => e.GetProperty("type").GetString() == "position-error" && e.GetProperty("field").GetString() == "");
    }

    [Fact]
    public async Task Published_natural_persons_are_k_anonymous_and_the_report_adds_up()
    {
        // A larger fictional source: about 5 % sole proprietors, over many communes and activities.
        using var site = new DemoSite();
        var source = site.Temp("big.csv");
        Assert.Equal(0, await site.RunAsync("generate", "--rows", "3000", "--seed", "7", "--output", source));
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={Key}"));

        var definition = PipelineLoader.Load(Path.Combine(Repo.Pipelines, "acteurs"));
        var k = definition.Anonymisation.KAnonymity!;
        var csv = PublishDemoTests.ReadCsv(site.Path("datasets", "acteurs", "latest", "acteurs.csv"));
        var h = csv[0];
        var natural = csv.Skip(1).Where(r => r[Array.IndexOf(h, "identifiant")].StartsWith("EI-", StringComparison.Ordinal)).ToList();
        var groups = natural.GroupBy(r => string.Join("|", k.QuasiIdentifiers.Select(q => r[Array.IndexOf(h, q)]))).ToList();
        Assert.NotEmpty(groups);
        Assert.All(groups, g => Assert.True(g.Count() >= k.K, $"group of {g.Count()} < k = {k.K}: {g.Key}"));

        using var manifest = JsonDocument.Parse(File.ReadAllText(site.Path("releases.json")));
        var version = manifest.RootElement.GetProperty("datasets").EnumerateArray().First(d => d.GetProperty("id").GetString() == "acteurs").GetProperty("versions")[0];
        var report = version.GetProperty("privacy").GetProperty("kAnonymity");
        var published = report.GetProperty("rowsUnchanged").GetInt64() + report.GetProperty("steps").EnumerateArray().Sum(s => s.GetProperty("rows").GetInt64());
        Assert.Equal(natural.Count, published);
        Assert.Equal(report.GetProperty("naturalPersonRows").GetInt64(), published + report.GetProperty("rowsSuppressed").GetInt64());
        Assert.Equal(groups.Min(g => g.Count()), report.GetProperty("kReached").GetInt32());
        Assert.True(report.GetProperty("steps")[0].GetProperty("rows").GetInt64() > 0, "some rows are published at département level");
        Assert.Equal(csv.Count - 1, version.GetProperty("rows").GetInt64());

        // Generalised rows say so, and carry nothing finer than their level.
        foreach (var r in natural.Where(r => r[Array.IndexOf(h, "precision_localisation")] == "departement"))
        {
            Assert.Equal("", r[Array.IndexOf(h, "code_commune")]);
            Assert.Equal("", r[Array.IndexOf(h, "commune")]);
        }

        Assert.All(natural, r => Assert.Equal(
            r[Array.IndexOf(h, "code_naf")].Length == 2,
            r[Array.IndexOf(h, "libelle_naf")].StartsWith("Division ", StringComparison.Ordinal)));
        Assert.All(natural, r => Assert.Equal("", r[Array.IndexOf(h, "date_mise_a_jour")] + r[Array.IndexOf(h, "annee_adhesion")] + r[Array.IndexOf(h, "sous_filieres")] + r[Array.IndexOf(h, "thematiques")] + r[Array.IndexOf(h, "description")]));

        // Grouped by every published field but the pseudonym, not only the declared quasi-identifiers.
        var identifiant = Array.IndexOf(h, "identifiant");
        Assert.All(natural.GroupBy(r => string.Join("|", r.Where((_, i) => i != identifiant))), g => Assert.True(g.Count() >= k.K, $"rows differ only outside the quasi-identifiers: {g.Key}"));
        var page = File.ReadAllText(site.Path("datasets", "acteurs", "index.html"));
        Assert.Contains("id=\"k-anonymat\"", page, StringComparison.Ordinal);
        Assert.Contains($"{report.GetProperty("rowsSuppressed").GetInt64()} non publiées", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_company_whose_establishment_is_not_diffusible_is_published_as_a_natural_person()
    {
        // natural_person_when has two conditions: a legal category 1xxx, or the diffusion status P.
        // The demo's three P rows are all sole traders (category 1000), so nothing tested the second
        // alone: a company (SAS, SARL…) whose establishment INSEE does not diffuse must lose its name,
        // SIRET and website as a sole trader does.
        using var site = new DemoSite();
        var rows = PublishDemoTests.ReadCsv(Repo.DemoSource);
        var header = rows[0];
        int Column(string name) => Array.IndexOf(header, name);
        var names = rows.Skip(1).GroupBy(r => r[Column("raison_sociale")]).Where(g => g.Count() == 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var hidden = Enumerable.Range(1, rows.Count - 1)
            .Where(i => !rows[i][Column("categorie_juridique")].StartsWith('1') && rows[i][Column("statut_diffusion")] == "O" && i + 1 is not (9 or 72 or 88 or 100 or 119)
                && names.Contains(rows[i][Column("raison_sociale")]) && rows[i][Column("raison_sociale")].Length >= 8 && rows[i][Column("site_web")].Length > 0)
            .Take(5).ToList();
        Assert.Equal(5, hidden.Count);
        foreach (var i in hidden)
        {
            rows[i][Column("statut_diffusion")] = "P";
        }

        var source = site.Temp("non-diffusible.csv");
        WriteQuotedCsv(source, rows);
        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={Key}"));

        var secrets = hidden.SelectMany(i => new[]
        {
            rows[i][Column("raison_sociale")],
            PublishDemoTests.Digits(rows[i][Column("siret")]),
            new Uri(rows[i][Column("site_web")]).Host,
        }).ToList();
        var cells = PublishedCells(site);
        Assert.Contains(cells, c => c.File.EndsWith("acteurs.csv", StringComparison.Ordinal));
        var leaks = (from c in cells
                     from secret in secrets
                     where c.Cell.Contains(secret, StringComparison.OrdinalIgnoreCase)
                     select $"{Path.GetRelativePath(site.Site, c.File)}: {secret}").Distinct().ToList();
        Assert.Empty(leaks);

        // The privacy report counts them among the natural persons, as the source says.
        var expected = Enumerable.Range(1, rows.Count - 1).Count(i => i + 1 is not (9 or 72 or 88 or 100 or 119)
            && (rows[i][Column("categorie_juridique")].StartsWith('1') || rows[i][Column("statut_diffusion")] == "P"));
        using var manifest = JsonDocument.Parse(File.ReadAllText(site.Path("releases.json")));
        var report = manifest.RootElement.GetProperty("datasets").EnumerateArray().First(d => d.GetProperty("id").GetString() == "acteurs")
            .GetProperty("versions")[0].GetProperty("privacy").GetProperty("kAnonymity");
        Assert.Equal(expected, report.GetProperty("naturalPersonRows").GetInt64());
    }

    /// <summary>Every published text: each Parquet cell (read by DuckDB), each JSON string, each other file whole.</summary>
    internal static List<(string File, string Cell)> PublishedCells(DemoSite site)
    {
        var cells = new List<(string File, string Cell)>();
        foreach (var file in Directory.EnumerateFiles(site.Site, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".parquet", StringComparison.Ordinal))
            {
                foreach (var row in DuckDb.Query($"SELECT * FROM read_parquet({DuckDb.Quote(file)})"))
                {
                    cells.AddRange(row.Select(v => (file, PublishDemoTests.AsCsvText(v))));
                }
            }
            else if (file.EndsWith(".json", StringComparison.Ordinal) || file.EndsWith(".geojson", StringComparison.Ordinal) || file.EndsWith(".jsonld", StringComparison.Ordinal))
            {
                cells.AddRange(PublishDemoTests.JsonStrings(File.ReadAllText(file)).Select(v => (file, v)));
            }
            else
            {
                cells.Add((file, File.ReadAllText(file)));
            }
        }

        return cells;
    }

    [Fact]
    public async Task Pseudonyms_are_stable_across_runs_and_change_with_the_key()
    {
        async Task<HashSet<string>> PseudonymsAsync(string key)
        {
            using var site = new DemoSite();
            Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", Repo.DemoSource, $"--Anonymisation:Key={key}"));
            var csv = PublishDemoTests.ReadCsv(site.Path("datasets", "acteurs", "latest", "acteurs.csv"));
            return csv.Skip(1).Select(r => r[0]).Where(id => id.StartsWith("EI-", StringComparison.Ordinal)).ToHashSet();
        }

        var first = await PseudonymsAsync(Key);
        var again = await PseudonymsAsync(Key);
        var other = await PseudonymsAsync(Key.Replace("0001", "0002", StringComparison.Ordinal));
        Assert.Equal(4, first.Count);
        Assert.Equal(first, again);
        Assert.Empty(first.Intersect(other));
    }

    /// <summary>
    /// The secret of chiffres-cles, checked against an independent computation from the source:
    /// published values are exact, primary secret is where INSEE's rules say, and an attacker
    /// subtracting published values along every row and column (repeatedly) recovers no secret cell.
    /// </summary>
    [Fact]
    public async Task Chiffres_cles_are_exact_where_published_and_no_secret_cell_can_be_recovered()
    {
        using var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("publish"));
        var acteurs = PublishDemoTests.ReadCsv(site.Path("datasets", "acteurs", "latest", "acteurs.csv"));
        var truth = IndependentTable(acteurs.Skip(1).Select(r => r[0]).ToHashSet());
        var csv = PublishDemoTests.ReadCsv(site.Path("datasets", "chiffres-cles", "latest", "chiffres-cles.csv"));
        var h = csv[0];
        string Cell(string[] r, string f) => r[Array.IndexOf(h, f)];

        foreach (var (measure, status) in new[] { ("effectif_total", "statut_effectif"), ("chiffre_affaires_total_eur", "statut_chiffre_affaires") })
        {
            var published = new Dictionary<(string, string), long?>();
            var statuses = new Dictionary<(string, string), string>();
            foreach (var r in csv.Skip(1))
            {
                var key = (Cell(r, "code_departement"), Cell(r, "type_acteur"));
                var t = truth[key];
                Assert.Equal(t.Count, long.Parse(Cell(r, "nombre_adherents"), CultureInfo.InvariantCulture));
                var st = Cell(r, status);
                statuses[key] = st;
                var value = measure == "effectif_total" ? t.Headcount : t.Revenue;
                var declared = measure == "effectif_total" ? t.HeadcountDeclared : t.RevenueDeclared;
                if (st == "publie")
                {
                    Assert.Equal(value.ToString(CultureInfo.InvariantCulture), Cell(r, measure));
                    Assert.False(t.IsPrimary(measure), $"{key} is published but the rules put it under primary secret");
                    published[key] = value;
                }
                else
                {
                    Assert.Equal("", Cell(r, measure)); // empty, never 0
                    Assert.Equal(st == "non-disponible", !declared);
                    if (st == "secret-primaire")
                    {
                        Assert.True(t.IsPrimary(measure), $"{key} is not under primary secret by the rules");
                    }

                    published[key] = st == "non-disponible" ? 0 : null; // nothing declared: known to add nothing
                }
            }

            Assert.Contains(statuses.Values, s => s == "secret-primaire");
            Assert.Contains(statuses.Values, s => s == "secret-secondaire");
            Assert.Empty(Recover(published, statuses));

            // The audit can fail: with primary secret alone, it recovers cells.
            var primaryOnly = published.ToDictionary(p => p.Key, p => statuses[p.Key] == "secret-secondaire" ? (measure == "effectif_total" ? truth[p.Key].Headcount : truth[p.Key].Revenue) : p.Value);
            Assert.NotEmpty(Recover(primaryOnly, statuses));
        }
    }

    /// <summary>Every secret cell an attacker computes by subtraction, applying rows and columns until nothing new comes.</summary>
    private static List<(string, string)> Recover(Dictionary<(string Dep, string Type), long?> table, Dictionary<(string, string), string> statuses)
    {
        var known = new Dictionary<(string Dep, string Type), long?>(table);
        var lines = new List<((string, string) Total, List<(string, string)> Parts)>();
        var deps = known.Keys.Select(k => k.Dep).Where(d => d != "").Distinct().ToList();
        var types = known.Keys.Select(k => k.Type).Where(t => t != "").Distinct().ToList();
        lines.AddRange(deps.Select(d => ((d, ""), types.Where(t => known.ContainsKey((d, t))).Select(t => (d, t)).ToList())));
        lines.AddRange(types.Select(t => (("", t), deps.Where(d => known.ContainsKey((d, t))).Select(d => (d, t)).ToList())));
        lines.Add((("", ""), deps.Select(d => (d, "")).ToList()));
        lines.Add((("", ""), types.Select(t => ("", t)).ToList()));
        var recovered = new List<(string, string)>();
        for (var progress = true; progress;)
        {
            progress = false;
            foreach (var (total, parts) in lines)
            {
                var members = parts.Append(total).ToList();
                var unknown = members.Where(m => known[m] is null).ToList();
                if (unknown.Count > 1 && known[total] is { } t && t == parts.Where(p => known[p] is not null).Sum(p => known[p]!.Value))
                {
                    // No value is negative: the hidden parts of a line whose published parts reach its total are all 0.
                    foreach (var zero in unknown)
                    {
                        known[zero] = 0;
                        recovered.Add(zero);
                    }

                    progress = true;
                    continue;
                }

                if (unknown.Count != 1)
                {
                    continue;
                }

                var u = unknown[0];
                var sumParts = parts.Where(p => p != u).Sum(p => known[p]!.Value);
                known[u] = u == total ? sumParts : known[total]!.Value - sumParts;
                recovered.Add(u);
                progress = true;
            }
        }

        return recovered.Where(r => statuses[r] is "secret-primaire" or "secret-secondaire").ToList();
    }

    private sealed class TrueCell
    {
        public long Count { get; set; }

        public Dictionary<string, (long Headcount, long Revenue, bool HeadcountDeclared, bool RevenueDeclared)> Enterprises { get; } = [];

        public bool HeadcountDeclared { get; set; }

        public bool RevenueDeclared { get; set; }

        public long Headcount => Enterprises.Values.Sum(e => e.Headcount);

        public long Revenue => Enterprises.Values.Sum(e => e.Revenue);

        public bool IsPrimary(string measure)
        {
            // Only the enterprises that declared the value count as contributors.
            var values = Enterprises.Values
                .Where(e => measure == "effectif_total" ? e.HeadcountDeclared : e.RevenueDeclared)
                .Select(e => measure == "effectif_total" ? e.Headcount : e.Revenue).ToList();
            return values.Count < 3 || (values.Sum() > 0 && values.Max() > 0.85 * values.Sum());
        }
    }

    /// <summary>
    /// The members' table computed straight from the demo source, apart from the pipeline's code:
    /// the rows acteurs publishes (a natural person only when its pseudonym, computed here with
    /// the demo key, is in the published file).
    /// </summary>
    private static Dictionary<(string, string), TrueCell> IndependentTable(HashSet<string> publishedIdentifiers)
    {
        var rejectedLines = new HashSet<int> { 9, 72, 88, 100, 119 }; // the demo's five bad rows
        var pseudonyms = OpenData.Anonymisation.Pseudonymiser.ForDataset(DemoKey.Value, "acteurs");
        var table = new Dictionary<(string, string), TrueCell>();
        var line = 1;
        foreach (var row in PublishDemoTests.SourceRows())
        {
            line++;
            var natural = row["categorie_juridique"].StartsWith('1') || row["statut_diffusion"] == "P";
            if (rejectedLines.Contains(line) || row["adherent"] != "oui"
                || (natural && !publishedIdentifiers.Contains(pseudonyms.Pseudonymise(PublishDemoTests.Digits(row["siret"])))))
            {
                continue;
            }

            var dep = row["code_commune"][..2];
            var siren = row["siret"].Replace(" ", "", StringComparison.Ordinal)[..9];
            var headcount = row["effectif"].Length == 0 ? 0 : long.Parse(row["effectif"], CultureInfo.InvariantCulture);
            var revenue = row["chiffre_affaires_eur"].Length == 0 ? 0 : long.Parse(row["chiffre_affaires_eur"], CultureInfo.InvariantCulture);
            foreach (var key in new[] { (dep, row["type_acteur"]), (dep, ""), ("", row["type_acteur"]), ("", "") })
            {
                if (!table.TryGetValue(key, out var cell))
                {
                    table[key] = cell = new TrueCell();
                }

                cell.Count++;
                cell.HeadcountDeclared |= row["effectif"].Length > 0;
                cell.RevenueDeclared |= row["chiffre_affaires_eur"].Length > 0;
                var previous = cell.Enterprises.GetValueOrDefault(siren);
                cell.Enterprises[siren] = (previous.Headcount + headcount, previous.Revenue + revenue,
                    previous.HeadcountDeclared || row["effectif"].Length > 0, previous.RevenueDeclared || row["chiffre_affaires_eur"].Length > 0);
            }
        }

        return table;
    }

    /// <summary>A CSV with every cell quoted, as a CRM exports it.</summary>
    private static void WriteQuotedCsv(string path, IEnumerable<string[]> rows) =>
        File.WriteAllLines(path, rows.Select(r => string.Join(",", r.Select(c => "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""))));
}
