using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Automotech.OpenData.DemoData;
using Automotech.OpenData.Reference;
using CsvHelper;

namespace Automotech.OpenData.Tests.DemoData;

public class DemoActorGeneratorTests
{
    private static readonly string[] SpecialisedNaf =
        ["29.10Z", "29.20Z", "29.31Z", "29.32Z", "22.11Z", "45.11Z", "45.19Z", "45.20A", "45.20B", "45.31Z", "71.20A"];

    private static readonly string[] ActorTypes =
        ["grand-groupe", "eti", "pme", "tpe", "start-up", "formation", "laboratoire", "plateforme-technologique", "centre-essais"];

    private static readonly string[] SousFilieres =
        ["motorisation", "chassis-liaison-sol", "carrosserie-habitacle", "electronique-embarquee", "plasturgie-composites", "mecanique-usinage", "services-ingenierie", "distribution-apres-vente"];

    private static readonly string[] Thematiques =
        ["vehicule-electrique", "hydrogene", "vehicule-autonome", "allegement", "industrie-4-0", "recyclage-economie-circulaire", "cybersecurite", "sport-automobile"];

    private static readonly string[] LanguedocRoussillon = ["11", "30", "34", "48", "66"];

    private static readonly string[] LegalCategories = ["5710", "5499", "5599", "1000", "9220", "7383", "7384"];

    private static readonly string[] Diffusion = ["O", "P"];

    private static readonly string[] YesNo = ["oui", "non"];

    private static readonly string[] Civilites = ["M.", "Mme"];

    private static readonly string[] BadKinds = ["luhn", "commune", "name", "duplicate", "naf"];

    private static readonly Lazy<List<string[]>> Default = new(() => Parse(Generate(250, 42)).Rows);

    private static readonly Lazy<List<string[]>> Large = new(() => Parse(Generate(20_000, 7)).Rows);

    [Fact]
    public void Same_seed_gives_identical_bytes()
    {
        Assert.Equal(Generate(250, 42), Generate(250, 42));
        Assert.Equal(Generate(777, 3), Generate(777, 3));
    }

    [Fact]
    public void The_committed_sample_is_exactly_the_generator_output_for_250_rows_seed_42() =>
        Assert.Equal(Generate(250, 42), File.ReadAllBytes(Repo.DemoSource));

    [Fact]
    public void Different_seeds_give_different_bytes()
    {
        Assert.NotEqual(Generate(250, 42), Generate(250, 43));
    }

    [Fact]
    public void Output_is_utf8_without_bom_with_crlf_line_endings_and_the_columns_as_header()
    {
        var bytes = Generate(250, 42);
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble));
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        Assert.StartsWith(string.Join(',', DemoActorGenerator.Columns) + "\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", text.Replace("\r\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_250_rows_of_29_fields_under_a_header_equal_to_columns()
    {
        var (header, rows) = Parse(Generate(250, 42));
        Assert.Equal(29, DemoActorGenerator.Columns.Count);
        Assert.Equal(DemoActorGenerator.Columns, header);
        Assert.Equal(250, rows.Count);
        Assert.All(rows, r => Assert.Equal(29, r.Length));
    }

    [Fact]
    public void Leaves_the_stream_open_and_rejects_a_non_positive_row_count()
    {
        using var stream = new MemoryStream();
        DemoActorGenerator.Write(stream, 3, 1);
        Assert.True(stream.CanWrite);
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoActorGenerator.Write(stream, 0, 1));
        Assert.Throws<ArgumentNullException>(() => DemoActorGenerator.Write(null!, 10, 1));
    }

    [Fact]
    public void Exactly_five_deliberately_bad_rows_one_of_each_kind_and_none_a_sole_proprietor()
    {
        var rows = Default.Value;
        var bad = FindBadRows(rows);
        Assert.All(bad.Values, list => Assert.Single(list));
        Assert.Equal(5, bad.Values.SelectMany(l => l).Distinct().Count());
        Assert.All(bad.Values.SelectMany(l => l), i => Assert.NotEqual("1000", rows[i][Col("categorie_juridique")]));

        var luhn = rows[bad["luhn"][0]][Col("siret")];
        Assert.Matches("^[0-9]{14}$", luhn);
        Assert.False(IsLuhnValid(luhn));
        Assert.Equal("31999", rows[bad["commune"][0]][Col("code_commune")]);
        Assert.NotEmpty(rows[bad["commune"][0]][Col("commune")]);
        Assert.Equal("29.99Z", rows[bad["naf"][0]][Col("code_naf")]);

        var duplicate = bad["duplicate"][0];
        var original = rows.FindIndex(r => r[Col("siret")] == rows[duplicate][Col("siret")]);
        Assert.True(original < duplicate);
        Assert.DoesNotContain(original, bad.Values.SelectMany(l => l));
    }

    [Fact]
    public void Every_other_row_has_a_unique_valid_siret_a_known_commune_and_naf_and_nearby_coordinates()
    {
        var rows = Default.Value;
        var bad = FindBadRows(rows).Values.SelectMany(l => l).ToHashSet();
        var sirets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in rows.Where((_, i) => !bad.Contains(i)))
        {
            var siret = r[Col("siret")];
            Assert.Matches("^[0-9]{14}$", siret);
            Assert.True(IsLuhnValid(siret[..9]), siret);
            Assert.True(IsLuhnValid(siret), siret);
            Assert.NotEqual("356000000", siret[..9]);
            Assert.True(sirets.Add(siret), siret);

            var commune = Geography.Occitanie.FindCommune(r[Col("code_commune")]);
            Assert.NotNull(commune);
            Assert.Equal(commune.Name, r[Col("commune")]);
            Assert.Contains(r[Col("code_postal")], commune.PostalCodes);

            var naf = r[Col("code_naf")];
            Assert.NotNull(NafNomenclature.Rev2.FindLabel(naf));
            Assert.Equal(SpecialisedNaf.Contains(naf) ? "oui" : "non", r[Col("specialise_automobile")]);

            Assert.Matches(@"^-?[0-9]{1,2}\.[0-9]{5}$", r[Col("latitude")]);
            Assert.Matches(@"^-?[0-9]{1,2}\.[0-9]{5}$", r[Col("longitude")]);
            var km = DistanceKm(
                commune.Latitude, commune.Longitude,
                double.Parse(r[Col("latitude")], CultureInfo.InvariantCulture),
                double.Parse(r[Col("longitude")], CultureInfo.InvariantCulture));
            Assert.True(km <= 3, $"{r[Col("id_crm")]} is {km:F2} km from its commune centroid");
            Assert.NotEmpty(r[Col("raison_sociale")]);
        }
    }

    [Fact]
    public void Fields_follow_the_published_formats()
    {
        var rows = Default.Value;
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            Assert.Equal("CRM-" + (i + 1).ToString("D6", CultureInfo.InvariantCulture), r[Col("id_crm")]);
            Assert.Contains(r[Col("categorie_juridique")], LegalCategories);
            Assert.Contains(r[Col("statut_diffusion")], Diffusion);
            Assert.Contains(r[Col("type_acteur")], ActorTypes);
            Assert.Contains(r[Col("adherent")], YesNo);
            if (r[Col("adherent")] == "oui")
            {
                Assert.InRange(Date(r[Col("date_adhesion")]), new DateOnly(2007, 1, 1), new DateOnly(2026, 10, 31));
            }
            else
            {
                Assert.Empty(r[Col("date_adhesion")]);
            }

            AssertSlugList(r[Col("sous_filieres")], SousFilieres);
            AssertSlugList(r[Col("thematiques")], Thematiques);
            Assert.Matches(@"^[0-9]+ \S", r[Col("adresse")].Split(", ")[^1]);
            Assert.Matches("^([0-9]+)?$", r[Col("effectif")]);
            Assert.Matches("^([0-9]+)?$", r[Col("chiffre_affaires_eur")]);
            Assert.Matches(@"^(https://www\.[a-z0-9-]+\.example)?$", r[Col("site_web")]);
            Assert.Contains(r[Col("contact_civilite")], Civilites);
            Assert.NotEmpty(r[Col("contact_prenom")]);
            Assert.NotEmpty(r[Col("contact_nom")]);
            Assert.NotEmpty(r[Col("contact_fonction")]);
            Assert.Matches(@"^[a-z-]+\.[a-z-]+@[a-z0-9-]+\.example$", r[Col("contact_email")]);
            Assert.Matches("^(05 36 49|06 39 98) [0-9]{2} [0-9]{2}$", r[Col("contact_telephone")]);
            Assert.NotEmpty(r[Col("description")]);
            Assert.InRange(Date(r[Col("date_maj")]), new DateOnly(2025, 1, 1), new DateOnly(2026, 11, 1));
        }

        Assert.InRange(rows.Count(r => r[Col("effectif")].Length == 0), 4, 12);
        Assert.InRange(rows.Count(r => r[Col("chiffre_affaires_eur")].Length == 0), 8, 18);
        Assert.InRange(rows.Count(r => r[Col("site_web")].Length == 0), 20, 55);
    }

    [Fact]
    public void Composition_matches_the_cluster_profile()
    {
        var rows = Default.Value;
        var members = rows.Where(r => r[Col("adherent")] == "oui").ToList();
        var prospects = rows.Where(r => r[Col("adherent")] == "non").ToList();
        Assert.InRange(members.Count, 180, 200);
        Assert.InRange(members.Count(r => r[Col("specialise_automobile")] == "oui"), 70, 90);
        Assert.All(prospects, r => Assert.Contains(Departement(r), LanguedocRoussillon));
        Assert.InRange(members.Count(r => Departement(r) == "31") / (double)members.Count, 0.38, 0.52);

        var track = Assert.Single(rows, r => r[Col("type_acteur")] == "centre-essais");
        Assert.Equal("30007", track[Col("code_commune")]);
        Assert.Equal("non", track[Col("adherent")]);
        Assert.Contains(prospects, r => r[Col("type_acteur")] == "formation");
        Assert.Contains(prospects, r => r[Col("type_acteur")] == "laboratoire");
        Assert.Contains(prospects, r => r[Col("type_acteur")] == "plateforme-technologique");

        Assert.InRange(members.Sum(r => Number(r[Col("effectif")])), 10_500, 11_500);
        Assert.InRange(members.Sum(r => Number(r[Col("chiffre_affaires_eur")])), 1_900_000_000, 2_100_000_000);

        var sole = rows.Where(r => r[Col("categorie_juridique")] == "1000").ToList();
        Assert.InRange(sole.Count, 10, 14);
        Assert.All(sole, r => Assert.Equal("tpe", r[Col("type_acteur")]));
        Assert.Equal(3, sole.Count(r => r[Col("statut_diffusion")] == "P"));
        Assert.InRange(sole.Count(r => r[Col("site_web")].Length > 0), 2, 6);
        Assert.All(sole, r => Assert.Contains(
            r[Col("raison_sociale")],
            new[] { $"{r[Col("contact_prenom")]} {r[Col("contact_nom")]}", $"{r[Col("contact_nom")].ToUpperInvariant()} {r[Col("contact_prenom")]}" }));
        Assert.Equal(3, rows.Count(r => r[Col("statut_diffusion")] == "P"));
    }

    [Fact]
    public void A_few_descriptions_embed_an_email_or_a_phone_number()
    {
        var rows = Default.Value;
        int Count(string pattern) => rows.Count(r => Regex.IsMatch(r[Col("description")], pattern));
        var emails = Count(@"[a-z-]+\.[a-z-]+@[a-z0-9-]+\.example");
        var international = Count(@"\+33 [0-9]( [0-9]{2}){4}");
        var dotted = Count(@"0[0-9](\.[0-9]{2}){4}");
        var digits = Count(@"\b0[0-9]{9}\b");
        Assert.InRange(emails + international + dotted + digits, 4, 9);
        Assert.True(emails > 0 && international > 0 && dotted > 0 && digits > 0);
    }

    [Fact]
    public void Twenty_thousand_rows_keep_the_bad_row_share_near_two_percent()
    {
        var rows = Large.Value;
        Assert.Equal(20_000, rows.Count);
        Assert.Equal("CRM-020000", rows[^1][Col("id_crm")]);
        var bad = FindBadRows(rows);
        Assert.All(bad.Values, list => Assert.InRange(list.Count, 60, 100));
        var share = bad.Values.SelectMany(l => l).Distinct().Count() / 20_000.0;
        Assert.InRange(share, 0.015, 0.025);
        Assert.InRange(rows.Count(r => r[Col("adherent")] == "oui") / 20_000.0, 0.72, 0.80);
    }

    private static byte[] Generate(int rows, int seed)
    {
        using var stream = new MemoryStream();
        DemoActorGenerator.Write(stream, rows, seed);
        return stream.ToArray();
    }

    private static (string[] Header, List<string[]> Rows) Parse(byte[] bytes)
    {
        using var reader = CsvReader.Create(new MemoryStream(bytes), CsvReaderOptions.Default with { Separator = ',' }, leaveOpen: false);
        var rows = new List<string[]>();
        while (reader.Read())
        {
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = reader.GetString(i) ?? string.Empty;
            }

            rows.Add(fields);
        }

        return ([.. reader.Headers], rows);
    }

    /// <summary>Row indexes of each kind of deliberate error: luhn, commune, name, duplicate, naf.</summary>
    private static Dictionary<string, List<int>> FindBadRows(List<string[]> rows)
    {
        var bad = BadKinds.ToDictionary(k => k, _ => new List<int>(), StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            if (!IsLuhnValid(r[Col("siret")]))
            {
                bad["luhn"].Add(i);
            }
            else if (!seen.Add(r[Col("siret")]))
            {
                bad["duplicate"].Add(i);
            }

            if (Geography.Occitanie.FindCommune(r[Col("code_commune")]) is null)
            {
                bad["commune"].Add(i);
            }

            if (r[Col("raison_sociale")].Length == 0)
            {
                bad["name"].Add(i);
            }

            if (NafNomenclature.Rev2.FindLabel(r[Col("code_naf")]) is null)
            {
                bad["naf"].Add(i);
            }
        }

        return bad;
    }

    private static int Col(string name)
    {
        for (var i = 0; i < DemoActorGenerator.Columns.Count; i++)
        {
            if (DemoActorGenerator.Columns[i] == name)
            {
                return i;
            }
        }

        throw new ArgumentException($"No column {name}.", nameof(name));
    }

    private static bool IsLuhnValid(string digits)
    {
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = (digits[digits.Length - 1 - i] - '0') * (i % 2 == 1 ? 2 : 1);
            sum += d > 9 ? d - 9 : d;
        }

        return sum % 10 == 0;
    }

    private static void AssertSlugList(string value, string[] allowed)
    {
        var slugs = value.Split('|');
        Assert.InRange(slugs.Length, 1, 3);
        Assert.All(slugs, s => Assert.Contains(s, allowed));
        Assert.Equal(slugs.Length, slugs.Distinct().Count());
    }

    private static string? Departement(string[] row) => Geography.Occitanie.FindCommune(row[Col("code_commune")])?.DepartementCode;

    private static DateOnly Date(string value) => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static long Number(string value) => value.Length == 0 ? 0 : long.Parse(value, CultureInfo.InvariantCulture);

    private static double DistanceKm(double lat1, double lon1, double lat2, double lon2)
    {
        static double Rad(double degrees) => degrees * Math.PI / 180;
        var a = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2)
            + (Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2));
        return 2 * 6371 * Math.Asin(Math.Sqrt(a));
    }
}
