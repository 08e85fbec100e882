namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>
/// A small fictional dataset of test sites, whose département and position fields are named as a
/// test wants them: the map and bars by département of a dataset that does not use the names of the
/// bundled ones (DeclaredMapFieldsTests, and the browser's DeclaredMapFieldsPageTests).
/// </summary>
public static class SitesDataset
{
    private const string Schema = """
        {
          "fields": [
            { "name": "code_site", "type": "string", "constraints": { "required": true, "unique": true } },
            { "name": "nom", "type": "string" },
            { "name": "code_commune", "type": "string" },
            { "name": "%DEP%", "type": "string" },
            { "name": "%LAT%", "type": "number" },
            { "name": "%LON%", "type": "number" }
          ],
          "primaryKey": "code_site"
        }
        """;

    private const string Yaml = """
        id: sites
        metadata:
          title: Sites d'essais de la filière
          description: Sites d'essais fictifs, pour les tests.
          licence: { id: etalab-2.0, title: Licence Ouverte 2.0, url: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" }
          publisher: { name: Automotech, url: "https://automotech.example" }
          contact: { name: Équipe données, email: opendata@automotech.example }
          spatial: Occitanie
          update_frequency: annuelle
          row_label: sites
          charts: []
          demo: false
        source:
          kind: csv
          path: sites.csv
          schema:
            primaryKey: [code_site]
            fields:
              - { name: code_site, type: string, constraints: { required: true } }
              - { name: nom, type: string }
              - { name: code_commune, type: string, checks: [commune] }
        fields:
          code_site: { from: code_site }
          nom: { from: nom }
          code_commune: { from: code_commune }
          %DEP%: { from: code_commune, transform: departement_code }
          %LAT%: { from: code_commune, transform: commune_latitude }
          %LON%: { from: code_commune, transform: commune_longitude }
        outputs:
        %OUTPUTS%
        """;

    /// <summary>Toulouse and Blagnac (Haute-Garonne), Albi (Tarn).</summary>
    private const string Csv = "code_site,nom,code_commune\nS1,Piste (fictive),31555\nS2,Banc moteur (fictif),31069\nS3,Soufflerie (fictive),81004\n";

    /// <summary>
    /// Writes the fictional <c>sites</c> dataset (three sites: two in Haute-Garonne, one in Tarn) in
    /// the site's pipelines folder, its département and position fields named as given (no
    /// département field at all when <paramref name="departement"/> is null), with
    /// <paramref name="outputs"/> as its <c>outputs</c> section's lines.
    /// </summary>
    public static void Write(DemoSite site, string? departement, string latitude, string longitude, string outputs)
    {
        var folder = site.Temp("pipelines", "sites");
        Directory.CreateDirectory(folder);
        string Fill(string text) => (departement is null ? string.Join('\n', text.Split('\n').Where(l => !l.Contains("%DEP%", StringComparison.Ordinal))) : text)
            .Replace("%DEP%", departement ?? "", StringComparison.Ordinal)
            .Replace("%LAT%", latitude, StringComparison.Ordinal).Replace("%LON%", longitude, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folder, "schema.json"), Fill(Schema));
        File.WriteAllText(Path.Combine(folder, "pipeline.yaml"), Fill(Yaml).Replace("%OUTPUTS%", outputs, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(folder, "sites.csv"), Csv);
    }
}
