using System.Globalization;
using DuckDB.NET.Data;

namespace Automotech.OpenData.Benchmarks.Pipeline;

/// <summary>
/// The baseline: the same job done by DuckDB, in a child process of its own (the benchmark exe
/// re-invoked with <c>duckdb-job</c>) so that its peak memory is measured as ours is. Two kinds:
/// <list type="bullet">
/// <item><c>projection</c>: read the CSV, write the source columns the dataset publishes, as
/// text, to Parquet (zstd): the floor for any reader-writer of these files.</item>
/// <item><c>full</c>: the published fields computed as our rules do: natural persons (legal
/// category 1xxx or diffusion P) get no name, site, description, year of adhesion, sub-sectors,
/// themes or update date, and the commune's position; SIRET pseudonyms (a SHA-256, DuckDB has no
/// HMAC), membership mapped, NAF label, commune, département (joined from <c>reference/</c>),
/// headcount and revenue bands as CASE, descriptions scrubbed with <c>regexp_replace</c> by our
/// scrubber's six expressions in its order (profile links, e-mails, IBANs, phone numbers, dates
/// of birth, names after a civility; RE2 has no look-around, so the phone rule's "no digit
/// before or after" takes the neighbouring character and puts it back, and misses a number
/// that follows another with one character between them; the profile, date-of-birth and name
/// rules do the same with the character before, which ours looks behind; where the name rule
/// looks further behind (M after a number, ME after a word in capitals), the M it does not read is written as
/// another capital letter before the rule and put back after it; the phone rule's blanks
/// are .NET's <c>\s</c> spelt out, RE2's being ASCII only; RE2's case folding also reads a long
/// s (ſ) as an s in the date-of-birth words, .NET's does not; ours also masks lower-case IBANs,
/// which needs a check-digit computation RE2 cannot do), typed columns. It does not validate
/// anything, rejects no duplicate, and has no k-anonymity: it is a lower bound for our whole
/// pipeline, not an equal. Its profile, e-mail and phone expressions are ours before the privacy
/// review of 2026-11-27, which added spelled-out and encoded addresses, more phone spellings and
/// profile hosts, and the removal of invisible characters: ours now does a little more there. Ours
/// also masks names after a role or a contact cue ("Contact : Ermeline Vautrain"), a seventh rule
/// this job does not have: it needs an atomic group and look-aheads, which RE2 lacks, and it
/// runs on few texts (those holding a capital after a cue's word).</item>
/// </list>
/// </summary>
public static class DuckDbJob
{
    public static int Run(IReadOnlyDictionary<string, string> options)
    {
        var kind = options.GetValueOrDefault("kind", "full");
        var source = options["source"];
        var output = options["output"];
        var reference = options.GetValueOrDefault("reference", Path.Combine(Inputs.RepositoryRoot, "reference"));
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        if (options.TryGetValue("threads", out var threads))
        {
            command.CommandText = $"SET threads = {int.Parse(threads, CultureInfo.InvariantCulture)}";
            command.ExecuteNonQuery();
        }

        command.CommandText = kind switch
        {
            "projection" => Projection(source, output),
            "full" => Full(source, output, reference),
            _ => throw new ArgumentException($"--kind is 'full' or 'projection', not '{kind}'."),
        };
        var rows = command.ExecuteNonQuery();
        Console.WriteLine($"duckdb-job {kind}: {rows} rows written to {output}");
        return 0;
    }

    public static string Version()
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version()";
        return command.ExecuteScalar()?.ToString() ?? "unknown";
    }

    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string ReadCsv(string source) => $"read_csv({Quote(source)}, header = true, delim = ',', quote = '\"', all_varchar = true)";

    /// <summary>The source columns the dataset publishes, which the projection keeps (and the floor job, <see cref="FloorJob"/>).</summary>
    public static readonly string[] ProjectionColumns =
    [
        "siret", "raison_sociale", "type_acteur", "adherent", "date_adhesion", "code_naf", "specialise_automobile",
        "sous_filieres", "thematiques", "code_commune", "latitude", "longitude", "effectif", "chiffre_affaires_eur",
        "site_web", "description", "date_maj",
    ];

    private static string Projection(string source, string output) => $"""
        COPY (
          SELECT {string.Join(", ", ProjectionColumns)}
          FROM {ReadCsv(source)}
        ) TO {Quote(output)} (FORMAT parquet, COMPRESSION zstd)
        """;

    // What .NET's \s matches (RE2's is ASCII only: [\t\n\f\r ]), for the phone rule.
    private const string Space = @"[\t\n\v\f\r\x{85}\p{Z}]";

    /// <summary>TextScrubber's <c>Phone</c> rule: groups 1 and 7 are the characters before and after, put back.</summary>
    private const string PhonePattern =
        @"(^|[^0-9])(\(?(\+|00)" + Space + @"?33\)?" + Space + @"?(\(0\)" + Space + "?)?|0)[1-9]((" + Space + "{1,3}|" + Space + @"?[.\-]" + Space + "?)?[0-9]{2}){4}([^0-9]|$)";

    // TextScrubber's date-of-birth and civility-name rules in RE2: the same expressions, with
    // \x{…} for the no-break spaces, and the character before taken and put back (\1) where
    // ours looks behind.
    private const string Blank = @"[ \t\x{00A0}\x{202F}]";

    private const string Month = "(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre)";

    private const string Date = @"(?:[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-](?:[0-9]{4}|[0-9]{2})|[0-9]{4}-[0-9]{2}-[0-9]{2}|(?:1er|[0-9]{1,2})" + Blank + "+" + Month + "(?:" + Blank + "+[0-9]{4})?)";

    /// <summary>TextScrubber's <c>BirthDate</c> rule: group 1 is the character before, put back.</summary>
    private const string BirthDatePattern =
        @"(^|[^\p{L}\p{N}_])(?i:n[eé](?:e|\(e\)|·e|\.e)?" + Blank + @"+(?:à" + Blank + @"+\p{L}[\p{L}'’-]*(?:" + Blank + @"+\p{L}[\p{L}'’-]*){0,3}" + Blank + "+)?"
        + "(?:le" + Blank + "+" + Date + "|en" + Blank + "+(?:" + Month + Blank + "+)?[0-9]{4})"
        + "|date" + Blank + "+de" + Blank + "+naissance" + Blank + "*:?" + Blank + "*" + Date
        + "|ddn" + Blank + "*:?" + Blank + "*" + Date + ")";

    private const string Initials = @"(?:\p{Lu}(?:\.-?|-))";

    private const string CapitalisedWord = @"(?:\p{Lu}['’])?\p{Lu}\p{L}+(?:-\p{L}+)*";

    private const string NameWord = "(?:" + Initials + "*(?:" + CapitalisedWord + @"|\p{Lu}\.)|" + Initials + @"+\p{Lu})";

    private const string MeNameWord = "(?:" + Initials + @"*(?:(?:\p{Lu}['’])?\p{Lu}\p{L}{2,}(?:-\p{L}+)*|\p{Lu}\.)|" + Initials + @"+\p{Lu})";

    private const string Particles = "(?:(?:della|DELLA|de|du|des|le|la|van|von|der|den|da|das|del|di|do|dos|DE|DU|DES|LE|LA|VAN|VON|DER|DEN|DA|DAS|DEL|DI|DO|DOS)" + Blank + @"+|d['’])*";

    private const string LowerNameWord = @"\p{Ll}[\p{Ll}'’]{2,}(?:-\p{L}+)*";

    private const string LowerNameAfterM = @"\p{Ll}{2}[\p{Ll}'’]+(?:-\p{L}+)*";

    private const string LowerParticle = "(?:(?:della|de|du|des|van|von|der|den|da|das|del|di|do|dos)" + Blank + @"+|d['’])";

    private const string MoreNameWords = "(?:" + Blank + "+" + Particles + NameWord + "){0,2}";

    private const string NameSeparator = "(?:" + Blank + "*," + Blank + "*|" + Blank + "+(?:et|ET|&)" + Blank + "+)";

    private const string MoreNames = "(?:" + NameSeparator + Particles + NameWord + MoreNameWords + "){0,3}";

    private const string TwoNamesOrMore = "(?:" + NameSeparator + Particles + NameWord + MoreNameWords + "){1,3}";

    /// <summary>TextScrubber's <c>CivilityName</c> rule: group 1 is the character before, 2 to 9 the civility and its blank, all put back.</summary>
    private const string CivilityNamePattern =
        @"(^|[^\p{L}\p{N}_.\-])(?:((?:Mme\.?|MME\.?|mme\.?|Mlle\.?|MLLE\.?|mlle\.?|Melle\.?|MELLE\.?|melle\.?|Monsieur|MONSIEUR|monsieur|Madame|MADAME|madame|Mademoiselle|MADEMOISELLE|mademoiselle|Mrs?\.?)" + Blank + "+)"
        + Particles + "(?:" + NameWord + "|" + LowerNameWord + ")" + MoreNameWords
        + @"|((?:M\.?|Dr\.?|Dre\.?|Pr\.?|Prof\.?|Docteure?|DOCTEURE?|Professeure?|PROFESSEURE?|Maître|Maitre|MAÎTRE|MAITRE|Mgr\.?|Monseigneur|MONSEIGNEUR|Vve\.?|VVE\.?|Veuve|VEUVE|Mtre\.?)" + Blank + "+)" + Particles + NameWord + MoreNameWords
        + @"|((?:Me\.?|MR\.?|PROF\.?|MGR\.?|ME\.?)" + Blank + "+)" + Particles + MeNameWord + MoreNameWords
        + @"|((?:Mmes\.?|MMES\.?|mmes\.?|Mlles\.?|MLLES\.?|mlles\.?|Messieurs|MESSIEURS|messieurs|Mesdames|MESDAMES|mesdames|Mesdemoiselles|MESDEMOISELLES|mesdemoiselles)" + Blank + "+)"
        + Particles + "(?:" + NameWord + "|" + LowerNameWord + ")" + MoreNameWords + MoreNames
        + @"|((?:MM\.?|Drs\.?|Prs\.?|Mes\.)" + Blank + "+)" + Particles + NameWord + MoreNameWords + MoreNames
        + @"|(M\." + Blank + "+)(?:" + LowerParticle + Particles + ")?" + LowerNameAfterM + MoreNameWords
        + @"|(Mes" + Blank + "+)" + Particles + MeNameWord + MoreNameWords + TwoNamesOrMore
        + @"|(m\." + Blank + "+)(?:(?:" + LowerParticle + Particles + ")?" + LowerNameAfterM + "|" + Particles + NameWord + ")" + MoreNameWords + ")";

    /// <summary>
    /// What every match of <see cref="CivilityNamePattern"/> starts with: the character before, a
    /// civility, its dot, a blank. The heavy expression runs only on the descriptions that hold one,
    /// as TextScrubber's own guard (<c>MayHoldCivility</c>) lets its regex run: scanned over every
    /// description, RE2 took 5.8 s for 200,000 rows against 1.2 s before the plural civilities.
    /// </summary>
    private const string CivilityGuardPattern =
        @"(^|[^\p{L}\p{N}_.\-])(?:(?:Mme|MME|mme|Mlle|MLLE|mlle|Melle|MELLE|melle|Monsieur|MONSIEUR|monsieur|Madame|MADAME|madame|Mademoiselle|MADEMOISELLE|mademoiselle|Mrs?|M|Dr|Dre|Pr|Prof|Docteure?|DOCTEURE?|Professeure?|PROFESSEURE?|Maître|Maitre|MAÎTRE|MAITRE|Mgr|Monseigneur|MONSEIGNEUR|Vve|VVE|Veuve|VEUVE|Mtre|Me|MR|ME|PROF|MGR|Mmes|MMES|mmes|Mlles|MLLES|mlles|Messieurs|MESSIEURS|messieurs|Mesdames|MESDAMES|mesdames|Mesdemoiselles|MESDEMOISELLES|mesdemoiselles|MM|Drs|Prs|Mes)\.?|m\.)" + Blank;

    /// <summary>
    /// The letter that stands for the M of a civility TextScrubber's <c>CivilityName</c> rule does
    /// not read there for what is before it, a look-behind of any length, which RE2 lacks: an upper-case
    /// letter (U+2C6E, M with hook) as M is, so that the rest of the rule reads it as it reads M (a
    /// letter before a civility, a name word's capital), but no civility's; put back as M after the
    /// rule. A text that holds this letter itself gets an M for it (none in CRM notes).
    /// </summary>
    private const string Hidden = "\u2C6E";

    /// <summary>
    /// The same for the m of "m." in lower case, which <c>CivilityName</c> does not read as a
    /// civility after a number or a unit word ("12 m. de long", "en m. Prix"): a lower-case letter
    /// (U+0271, m with hook), read by the rest of the rule as m is; put back as m after the rule.
    /// </summary>
    private const string HiddenLower = "\u0271";

    /// <summary>
    /// The SQL of <paramref name="column"/> with the M of every civility <c>CivilityName</c> does not
    /// read for what is before it written <see cref="Hidden"/>: M, M., MM and MM. after a number and
    /// blanks, a million ("12 M Euros", "12 MM Euros": the first M of MM, the second then being
    /// after a letter, as in ours); ME (no dot) after a word in capitals and blanks, the pronoun of a
    /// text typed in capitals ("IL ME DIT"), twice, as each match takes the blank after ME, which
    /// the next ME needs before it ("IL ME ME DIT"); "Mes" (no dot) at the start of the text or of a
    /// sentence (after '.', '!', '?', '…' or a line break, blanks between), the possessive; and, with
    /// <see cref="HiddenLower"/>, "m." in lower case after a number or after "en", "par" or "au" and
    /// blanks, a metre or a unit, twice, as a match takes the blank the next one's word needs
    /// before it ("en m. en m. Dupont").
    /// </summary>
    private static string HideCivilitiesLookedBehind(string column)
    {
        var million = Quote("([0-9]" + Blank + @"+)M(M?\.?" + Blank + ")");
        var meAfterCapital = Quote(@"(\p{Lu}" + Blank + "+)M(E" + Blank + ")");
        var mesAtSentenceStart = Quote(@"((?:^|[.!?…\r\n])" + Blank + "*)M(es" + Blank + ")");
        var metre = Quote("([0-9]" + Blank + @"+|(?:^|[^\p{L}\p{N}_])(?:en|En|par|Par|au|Au)" + Blank + @"+)m(\." + Blank + ")");
        var millions = $"regexp_replace({column}, {million}, '\\1{Hidden}\\2', 'g')";
        var once = $"regexp_replace({millions}, {meAfterCapital}, '\\1{Hidden}\\2', 'g')";
        var twice = $"regexp_replace({once}, {meAfterCapital}, '\\1{Hidden}\\2', 'g')";
        var mes = $"regexp_replace({twice}, {mesAtSentenceStart}, '\\1{Hidden}\\2', 'g')";
        var metres = $"regexp_replace({mes}, {metre}, '\\1{HiddenLower}\\2', 'g')";
        return $"regexp_replace({metres}, {metre}, '\\1{HiddenLower}\\2', 'g')";
    }

    private static string Full(string source, string output, string reference)
    {
        var communes = Quote(Path.Combine(reference, "communes-occitanie.csv"));
        var departements = Quote(Path.Combine(reference, "departements-occitanie.csv"));
        var naf = Quote(Path.Combine(reference, "naf-rev2-sous-classes.csv"));
        return $$"""
            COPY (
              WITH r AS (
                SELECT *,
                       (categorie_juridique IN ('1000','1100','1200','1300','1400','1500','1600','1700','1800','1900')
                        OR statut_diffusion = 'P') AS natural_person,
                       TRY_CAST(effectif AS BIGINT) AS n,
                       TRY_CAST(chiffre_affaires_eur AS BIGINT) AS ca
                FROM {{ReadCsv(source)}}
              ),
              s AS (
                SELECT *,
                  CASE WHEN natural_person THEN NULL ELSE
                    regexp_replace(
                      regexp_replace(
                        regexp_replace(
                          regexp_replace(
                            regexp_replace(r.description,
                              '(?i)(^|[^a-z0-9_-])((https?://)?([a-z]{1,3}\.)?)(linkedin\.com/(in|pub)|viadeo\.com|facebook\.com|fb\.com|instagram\.com|twitter\.com|x\.com|tiktok\.com/@|youtube\.com/@)/?[^\s,;)]*', '\1[lien personnel masqué]', 'g'),
                            '[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}', '[courriel masqué]', 'g'),
                          '\b[A-Z]{2}[0-9]{2}( ?[A-Z0-9]{4}){2,7}( ?[A-Z0-9]{1,3})?\b', '[IBAN masqué]', 'g'),
                        {{Quote(PhonePattern)}}, '\1[téléphone masqué]\7', 'g'),
                      {{Quote(BirthDatePattern)}}, '\1[date de naissance masquée]', 'g')
                  END AS d5
                FROM r
              )
              SELECT
                CASE WHEN natural_person THEN 'EI-' || substr(sha256('{{Inputs.BenchmarkKey}}' || s.siret), 1, 20) ELSE s.siret END AS identifiant,
                CASE WHEN natural_person THEN 'Entrepreneur individuel (nom non diffusé)' ELSE s.raison_sociale END AS nom,
                s.type_acteur,
                CASE s.adherent WHEN 'oui' THEN 'adherent' WHEN 'non' THEN 'prospect' END AS statut_adhesion,
                CASE WHEN natural_person THEN NULL ELSE CAST(year(TRY_CAST(s.date_adhesion AS DATE)) AS INTEGER) END AS annee_adhesion,
                s.code_naf,
                naf.libelle AS libelle_naf,
                CASE WHEN s.specialise_automobile IN ('true', 'True', 'TRUE', '1', 'oui', 'Oui', 'OUI') THEN true WHEN s.specialise_automobile IN ('false', 'False', 'FALSE', '0', 'non', 'Non', 'NON') THEN false END AS specialise_automobile,
                CASE WHEN natural_person THEN NULL ELSE s.sous_filieres END AS sous_filieres,
                CASE WHEN natural_person THEN NULL ELSE s.thematiques END AS thematiques,
                s.code_commune,
                c.nom_commune AS commune,
                c.code_departement,
                d.nom_departement AS departement,
                CASE WHEN natural_person THEN CAST(c.latitude AS DOUBLE) ELSE TRY_CAST(s.latitude AS DOUBLE) END AS latitude,
                CASE WHEN natural_person THEN CAST(c.longitude AS DOUBLE) ELSE TRY_CAST(s.longitude AS DOUBLE) END AS longitude,
                CASE WHEN natural_person THEN 'commune' ELSE 'adresse' END AS precision_localisation,
                CASE WHEN n IS NULL OR n < 0 THEN 'NN' WHEN n < 1 THEN '00' WHEN n < 3 THEN '01' WHEN n < 6 THEN '02'
                     WHEN n < 10 THEN '03' WHEN n < 20 THEN '11' WHEN n < 50 THEN '12' WHEN n < 100 THEN '21'
                     WHEN n < 200 THEN '22' WHEN n < 250 THEN '31' WHEN n < 500 THEN '32' WHEN n < 1000 THEN '41'
                     WHEN n < 2000 THEN '42' WHEN n < 5000 THEN '51' WHEN n < 10000 THEN '52' ELSE '53' END AS tranche_effectif,
                CASE WHEN n IS NULL OR n < 0 THEN 'Effectif inconnu ou unité non employeuse' WHEN n < 1 THEN '0 salarié'
                     WHEN n < 3 THEN '1 ou 2 salariés' WHEN n < 6 THEN '3 à 5 salariés' WHEN n < 10 THEN '6 à 9 salariés'
                     WHEN n < 20 THEN '10 à 19 salariés' WHEN n < 50 THEN '20 à 49 salariés' WHEN n < 100 THEN '50 à 99 salariés'
                     WHEN n < 200 THEN '100 à 199 salariés' WHEN n < 250 THEN '200 à 249 salariés' WHEN n < 500 THEN '250 à 499 salariés'
                     WHEN n < 1000 THEN '500 à 999 salariés' WHEN n < 2000 THEN '1 000 à 1 999 salariés'
                     WHEN n < 5000 THEN '2 000 à 4 999 salariés' WHEN n < 10000 THEN '5 000 à 9 999 salariés'
                     ELSE '10 000 salariés et plus' END AS libelle_tranche_effectif,
                CASE WHEN ca IS NULL THEN NULL WHEN ca < 500000 THEN 'moins de 0,5 M€' WHEN ca < 2000000 THEN '0,5 à 2 M€'
                     WHEN ca < 10000000 THEN '2 à 10 M€' WHEN ca < 50000000 THEN '10 à 50 M€'
                     WHEN ca < 250000000 THEN '50 à 250 M€' ELSE '250 M€ et plus' END AS tranche_chiffre_affaires,
                CASE WHEN natural_person THEN NULL ELSE s.site_web END AS site_web,
                CASE WHEN natural_person THEN NULL WHEN regexp_matches(s.d5, {{Quote(CivilityGuardPattern)}}) THEN
                  replace(replace(regexp_replace({{HideCivilitiesLookedBehind("s.d5")}}, {{Quote(CivilityNamePattern)}}, '\1\2\3\4\5\6\7\8\9[nom masqué]', 'g'), '{{Hidden}}', 'M'), '{{HiddenLower}}', 'm')
                  ELSE s.d5 END AS description,
                CASE WHEN natural_person THEN NULL ELSE TRY_CAST(s.date_maj AS DATE) END AS date_mise_a_jour
              FROM s
              LEFT JOIN read_csv({{communes}}, all_varchar = true) c ON c.code_commune = s.code_commune
              LEFT JOIN read_csv({{departements}}, all_varchar = true) d ON d.code_departement = c.code_departement
              LEFT JOIN read_csv({{naf}}, all_varchar = true) naf ON naf.code_naf = s.code_naf
            ) TO {{Quote(output)}} (FORMAT parquet, COMPRESSION zstd)
            """;
    }
}
