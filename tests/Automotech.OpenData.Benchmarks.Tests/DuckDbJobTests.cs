using Automotech.OpenData.Anonymisation;
using Automotech.OpenData.Benchmarks.Pipeline;
using DuckDB.NET.Data;

namespace Automotech.OpenData.Benchmarks.Tests;

/// <summary>DuckDB's full job, the benchmark's baseline, does what our rules do where it claims to.</summary>
public class DuckDbJobTests
{
    private const string Header = "id_crm,raison_sociale,siret,categorie_juridique,statut_diffusion,type_acteur,adherent,date_adhesion,code_naf,specialise_automobile,sous_filieres,thematiques,adresse,code_postal,commune,code_commune,latitude,longitude,effectif,chiffre_affaires_eur,site_web,contact_civilite,contact_prenom,contact_nom,contact_fonction,contact_email,contact_telephone,description,date_maj";

    private static readonly string[] Descriptions =
    [
        "Contact : +33 6 39 98 95 35 ou 05.61.22.33.44, 0033 (0)5 61 22 33 44.",
        "Écrire à jean.dupont@exemple.fr pour un devis.",
        "IBAN FR76 3000 6000 0112 3456 7890 189 pour les dons.",
        "Profil https://www.linkedin.com/in/jean-dupont, et facebook.com/garage-du-centre.",
        "Réf 1234567890123 et 0612345678.",
        "Gérant au (+33) 6 12 34 56 74, 06  12  34  56  77 ou 06 - 12 - 34 - 56 - 78 ; viadeo.com/p/jean-dupont.",
        "Atelier de mécanique générale, sans coordonnées.",
        "Transport par https://www.fedex.com et www.abcfb.com, page https://fr-fr.facebook.com/garage.",

        // Dates of birth and names after a civility (names invented), and their look-alikes, which stay.
        "Contact : Mme Ermeline Vautrain, née le 12/03/1975, gérante ; joindre au 06 12 34 56 78.",
        "Gérante\u00A0: Mme\u00A0Vautrain ; M.\u202FQuérinel ; Me Gontran d’Esparvelle ; Dr. Ysaline Castanhoul et Pr Anselme van der Mirbeek.",
        "MONSIEUR GONTRAN PLANTEVIGNE, NÉ LE 12.03.1975 ; madame Quérinel, née à Saint-Jean-de-Luz le 3 avril 1980 ; MME LE GOFFRENEC.",
        "Date de naissance : 12/03/1975 ; DDN 04.11.1968 ; ddn:4/11/68 ; né(e) le 1er mars 1975 ; né en décembre 1968 ; NEE LE 1975-03-12.",
        "M. J.-P. Castanhoul, Mme Aubrac M. Durand-Lefort, Monsieur Aurélien de La Tourvelle, Mlle. Ondine O'Brannagh ; Ets M. Bousquéral.",
        "Ouvert Lu Ma Me Je Ve ; Me voici ; société créée le 12/03/1975, fondée en 1998 ; la journée le 12/03/2024 ; GAMME PREMIUM ; P.M.E. Toulouse ; DR Occitanie ; Chez M. et Mme.",
        "Suivi par M Dupont, M. J-P Castanhoul et M. J.P. Vautrain ; MM Dupont et Martin ; Mmes. Vautrain, Quérinel & Arsène ; Me. Ravanel ; la Docteure Oustalet ; Mme da Silva.",
        "Série M ; modèle M 12 ; BMW M3 ; 12 M€ ; il me semble ; Mesdames, Messieurs ; Garage M Automobiles.",
        "Suivi par M. dupont, M. de la tourvelle et M. d'esparvelle ; M. le maire, M. l'adjoint ; taille M pour enfants ; M. et Mme.",
        "Prof. Castanhoul, Dre Oustalet, Mgr Plantevigne, Monseigneur Quérinel, Ets Vve Bousquéral et Fils ; VVE ARSÈNE ; le prof Dupont ; Production.",
        "Un chiffre d'affaires de 12 M Euros, 3,5 M. Euros, 12\u00A0M Dollars, 1 200 M. euros, 12M Euros ; M Dupont ; le 12 Mme Vautrain ; 12 M ME DUPONT ; 12 MM Euros, 3 MM. Dollars, 12MM Euros.",
        "RDV avec MR DUPONT et ME MARTIN ; ACTE CHEZ ME. RAVANEL ; IL ME DIT QUE LE CLIENT ME RAPPELLE ; IL ME ME DIT ; code ME 12, MR X ; DRE Occitanie.",
        "Ets Veuve Martin et Fils ; VEUVE ARSÈNE ; veuve de guerre ; PROF CASTANHOUL, MGR. PLANTEVIGNE ; PROF 12, MGR X ; Mtre Ravanel ; Drs Dupont et Martin ; Prs. Castanhoul & Quérinel.",
        "Mes Collègues et Amis. Acte chez Mes Ravanel et Martin ; Mes. Ravanel ; chez Mes Ravanel, notaires ! Mes Voisins et Amis.",
        "vu avec m. dupont et m. Quérinel ; poutre de 12 m. de long, 3 m. Hauteur ; exprimé en m. Prix au m. Livraison ; en m. en m. Dupont ; m. le maire.",
    ];

    [Fact]
    public void The_full_job_scrubs_descriptions_as_our_scrubber_does_and_drops_natural_persons_fields()
    {
        var (legal, natural) = RunFullJob(Descriptions);
        Assert.Equal(1, natural);
        Assert.Equal(Descriptions.Select(TextScrubber.Scrub).Order(StringComparer.Ordinal), legal.Order(StringComparer.Ordinal));

        // The test's texts do hold what is scrubbed.
        Assert.All(new[] { TextScrubber.PhoneMarker, TextScrubber.BirthDateMarker, TextScrubber.NameMarker }, m => Assert.Contains(legal, d => d.Contains(m, StringComparison.Ordinal)));
    }

    [Fact]
    public void The_full_job_masks_names_and_dates_of_birth_in_random_texts_as_our_scrubber_does()
    {
        // Texts made of the two rules' pieces and their look-alikes, glued by blanks or nothing
        // (seeded; names invented): RE2 puts back the character before where .NET looks behind.
        string[] pieces =
        [
            "M.", "Mme", "Mme.", "MME", "Mlle", "Monsieur", "MONSIEUR", "monsieur", "Madame", "madame", "Mademoiselle", "Me", "Dr", "Dr.",
            "Pr", "DR", "M", "Vautrain", "QUÉRINEL", "Jean-Marc", "d’Esparvelle", "D'Alembrac", "J.", "J.-P.", "de", "la", "LE", "van", "d'",
            "Je", "Ve", "Gamme", "voici", "Élodie", "né", "née", "NÉ", "ne", "NEE", "né(e)", "né·e", "le", "en", "à", "Albi", "date",
            "naissance", "DDN", "ddn", ":", "12/03/1975", "4/11/68", "12.03.1975", "1975-03-12", "1975", "12", "1er", "mars", "Août", "mai",
            "journée", ",", ";", "(", ")", ".", "-", "_", "'", "’", "P.M.E.", "née le", "né en", "Née à Albi le", "date de naissance :",
            "DDN :", "le 12/03/1975", "12 mars 1975",
            "MM", "MM.", "Mmes", "mmes", "Mlles", "Messieurs", "MESDAMES", "Me.", "Docteure", "J-P", "J.P.", "J-Pierre", "A-12", "di", "dos",
            "et", "ET", "&", "M 12", "M3", "Série",
        ];

        // The pieces of the civilities added later (2026-11-28) and their look-alikes: M. before a
        // lower-case word, Prof, Dre, Mgr, Vve, MR and ME in capitals (ME after a word in capitals),
        // M after a number (a million); in texts of their own, mixed with the others, so that the
        // texts above stay what they were (and their counts of matches).
        string[] laterPieces =
        [
            "dupont", "durand-lefort", "l'adjoint", "maire", "pour",
            "Prof", "Prof.", "Production", "Dre", "Dre.", "DRE", "Mgr", "Monseigneur", "Vve", "VVE", "MR", "MR.", "ME", "ME.", "IL", "DUPONT",
            "DIT", "Euros", "euros", "3,5", "12 M", "M Euros", "12 MM",
        ];
        string[] glue = [" ", " ", " ", "", "\u00A0", "\u202F", "\t", "  "];
        var random = new Random(20261127);
        var texts = Enumerable.Range(0, 3000)
            .Select(_ => string.Concat(Enumerable.Range(0, random.Next(1, 9)).Select(_ => pieces[random.Next(pieces.Length)] + glue[random.Next(glue.Length)])))
            .ToList();
        var later = new Random(20261128);
        texts.AddRange(Enumerable.Range(0, 2000)
            .Select(_ => string.Concat(Enumerable.Range(0, later.Next(1, 9)).Select(_ => (later.Next(2) == 0 ? laterPieces[later.Next(laterPieces.Length)] : pieces[later.Next(pieces.Length)]) + glue[later.Next(glue.Length)]))));

        // The pieces of the civilities added after (2026-11-28): Veuve, PROF and MGR in capitals,
        // Mtre, Drs, Prs, Mes and Mes., m. in lower case; and their look-alikes (a sentence's start,
        // a number or a unit word before "m."), in texts of their own, again.
        string[] newerPieces =
        [
            "Veuve", "VEUVE", "veuve", "PROF", "PROF.", "MGR", "MGR.", "Mtre", "Mtre.", "Drs", "Drs.", "Prs", "Prs.", "Mes", "Mes.", "mes",
            "m.", "m", "en", "par", "au", "!", "?", "\u2026", "3 m.", "Ravanel", "Martin",
        ];
        var newer = new Random(20261129);
        texts.AddRange(Enumerable.Range(0, 2000)
            .Select(_ => string.Concat(Enumerable.Range(0, newer.Next(1, 9)).Select(_ => (newer.Next(2) == 0 ? newerPieces[newer.Next(newerPieces.Length)] : (newer.Next(2) == 0 ? laterPieces[newer.Next(laterPieces.Length)] : pieces[newer.Next(pieces.Length)])) + glue[newer.Next(glue.Length)]))));

        var (legal, _) = RunFullJob(texts);
        var ours = texts.Select(TextScrubber.Scrub).Order(StringComparer.Ordinal).ToList();
        var theirs = legal.Order(StringComparer.Ordinal).ToList();
        Assert.Empty(ours.Except(theirs, StringComparer.Ordinal).Take(5));
        Assert.Equal(ours, theirs);
        var names = ours.Count(t => t.Contains(TextScrubber.NameMarker, StringComparison.Ordinal));
        var births = ours.Count(t => t.Contains(TextScrubber.BirthDateMarker, StringComparison.Ordinal));
        Assert.True(names > 100, $"{names} texts with a name masked");
        Assert.True(births > 30, $"{births} texts with a date of birth masked");
    }

    /// <summary>Runs the full job on one company row per description, plus a natural person's row; returns the companies' published descriptions.</summary>
    private static (List<string> Legal, int Natural) RunFullJob(IReadOnlyList<string> descriptions)
    {
        var folder = Path.Combine(Path.GetTempPath(), "automotech-duckdb-job-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var rows = descriptions.Select((d, i) => Row(i, "5499", d)).Append(Row(descriptions.Count, "1000", descriptions[0]));
            var source = Path.Combine(folder, "source.csv");
            File.WriteAllLines(source, [Header, .. rows]);
            var output = Path.Combine(folder, "full.parquet");
            Assert.Equal(0, DuckDbJob.Run(new Dictionary<string, string> { ["kind"] = "full", ["source"] = source, ["output"] = output }));

            using var connection = new DuckDBConnection("DataSource=:memory:");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT nom, description, annee_adhesion, sous_filieres, thematiques, date_mise_a_jour, site_web FROM read_parquet('{output}') ORDER BY identifiant";
            using var reader = command.ExecuteReader();
            var legal = new List<string>();
            var natural = 0;
            while (reader.Read())
            {
                if (reader.GetString(0).StartsWith("Entrepreneur individuel", StringComparison.Ordinal))
                {
                    natural++;
                    Assert.All(Enumerable.Range(1, 6), c => Assert.True(reader.IsDBNull(c), $"column {reader.GetName(c)} of a natural person"));
                    continue;
                }

                legal.Add(reader.GetString(1));
            }

            return (legal, natural);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Row(int i, string legalCategory, string description) =>
        $"CRM-{i:D6},Garage {i} SARL,{40576950600032 + (i * 10)},{legalCategory},O,pme,oui,2011-12-15,45.20A,oui,mecanique-usinage,vehicule-electrique,1 rue du Canal,31000,Toulouse,31555,43.6,1.44,12,1500000,https://garage-{i}.example,M.,Jean,Dupont,Gérant,jean@garage.example,06 39 98 64 96,\"{description.Replace("\"", "\"\"", StringComparison.Ordinal)}\",2026-01-0{1 + (i % 9)}";
}
