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
    ];

    [Fact]
    public void The_full_job_scrubs_descriptions_as_our_scrubber_does_and_drops_natural_persons_fields()
    {
        var folder = Path.Combine(Path.GetTempPath(), "automotech-duckdb-job-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var rows = Descriptions.Select((d, i) => Row(i, "5499", d)).Append(Row(Descriptions.Length, "1000", Descriptions[0]));
            var source = Path.Combine(folder, "source.csv");
            File.WriteAllLines(source, [Header, .. rows]);
            var output = Path.Combine(folder, "full.parquet");
            Assert.Equal(0, DuckDbJob.Run(new Dictionary<string, string> { ["kind"] = "full", ["source"] = source, ["output"] = output }));

            using var connection = new DuckDBConnection("DataSource=:memory:");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT nom, description, annee_adhesion, sous_filieres, thematiques, date_mise_a_jour, site_web FROM read_parquet('{output}') ORDER BY identifiant";
            using var reader = command.ExecuteReader();
            var legal = new List<string?>();
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

            Assert.Equal(1, natural);
            Assert.Equal(Descriptions.Select(TextScrubber.Scrub).Order(StringComparer.Ordinal), legal.Order(StringComparer.Ordinal));
            Assert.Contains(legal, d => d!.Contains(TextScrubber.PhoneMarker, StringComparison.Ordinal)); // the test's texts do hold what is scrubbed
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Row(int i, string legalCategory, string description) =>
        $"CRM-{i:D6},Garage {i} SARL,{40576950600032 + (i * 10)},{legalCategory},O,pme,oui,2011-12-15,45.20A,oui,mecanique-usinage,vehicule-electrique,1 rue du Canal,31000,Toulouse,31555,43.6,1.44,12,1500000,https://garage-{i}.example,M.,Jean,Dupont,Gérant,jean@garage.example,06 39 98 64 96,\"{description.Replace("\"", "\"\"", StringComparison.Ordinal)}\",2026-01-0{1 + (i % 9)}";
}
