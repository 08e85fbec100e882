namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>
/// A second dataset declared without C#: a small fictional training offer (formations), written
/// into a test's own pipelines folder. Shared by the tests of a newcomer's dataset and of a change
/// of its structure between versions.
/// </summary>
internal static class FormationsDataset
{
    /// <summary>schema.json: four fields, code_formation the key.</summary>
    public const string Schema = """
        {
          "fields": [
            { "name": "code_formation", "type": "string", "constraints": { "required": true, "unique": true } },
            { "name": "intitule", "type": "string", "constraints": { "required": true } },
            { "name": "code_commune", "type": "string" },
            { "name": "places", "type": "integer" }
          ],
          "primaryKey": "code_formation"
        }
        """;

    /// <summary>pipeline.yaml's metadata, its update frequency left to each test.</summary>
    public const string Metadata = """
        id: formations
        metadata:
          title: Offre de formation de la filière
          description: Formations des écoles de la filière.
          licence: { id: ODbL-1.0, title: Open Database License (ODbL) 1.0, url: "https://opendatacommons.org/licenses/odbl/1-0/" }
          publisher: { name: Automotech, url: "https://automotech.example" }
          contact: { name: Équipe données, email: opendata@automotech.example }
          spatial: Occitanie
          demo: false

        """;

    /// <summary>The source's key and title, the start of every version of <c>source.schema.fields</c>.</summary>
    public const string Source = """
        source:
          kind: csv
          path: formations.csv
          schema:
            primaryKey: [code_formation]
            fields:
              - { name: code_formation, type: string, constraints: { required: true } }
              - { name: intitule, type: string, constraints: { required: true } }

        """;

    /// <summary>The rest of the source's fields and the published fields, as <see cref="Schema"/> declares them.</summary>
    public const string Fields = """
              - { name: code_commune, type: string, checks: [commune] }
              - { name: places, type: integer }
        fields:
          code_formation: { from: code_formation }
          intitule: { from: intitule }
          code_commune: { from: code_commune }
          places: { from: places }
        """;

    /// <summary>The dataset's folder: its schema.json, pipeline.yaml and formations.csv.</summary>
    public static void Write(DemoSite site, string schema, string yaml, string csv)
    {
        var folder = site.Temp("pipelines", "formations");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "schema.json"), schema);
        File.WriteAllText(Path.Combine(folder, "pipeline.yaml"), yaml);
        File.WriteAllText(Path.Combine(folder, "formations.csv"), csv);
    }

    /// <summary>publish, reading the test's pipelines folder.</summary>
    public static Task<int> PublishAsync(DemoSite site, params string[] more) =>
        site.RunAsync(["publish", $"--Pipeline:Directory={site.Temp("pipelines")}", .. more]);
}
