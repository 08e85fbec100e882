using Automotech.OpenData.Releases;
using Automotech.OpenData.Site;

namespace Automotech.OpenData.Tests.Releases;

public class StructureChangeTests
{
    private const string Before = """
        {
          "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
          "fields": [
            { "name": "id", "type": "string", "title": "Identifiant", "constraints": { "required": true, "unique": true } },
            { "name": "statut", "type": "string", "constraints": { "enum": ["a", "b"] } },
            { "name": "effectif", "type": "integer", "constraints": { "minimum": 0 } },
            { "name": "courriel", "type": "string" },
            { "name": "actif", "type": "boolean" },
            { "name": "ville", "type": "string", "constraints": { "maxLength": 40 } }
          ],
          "primaryKey": "id"
        }
        """;

    [Fact]
    public void The_same_structure_with_other_descriptions_and_an_enum_in_another_order_is_no_change()
    {
        var after = Before
            .Replace("\"title\": \"Identifiant\"", "\"title\": \"Identifiant de l'établissement\", \"description\": \"SIRET\"", StringComparison.Ordinal)
            .Replace("[\"a\", \"b\"]", "[\"b\", \"a\"]", StringComparison.Ordinal)
            .Replace("\"primaryKey\": \"id\"", "\"primaryKey\": [\"id\"]", StringComparison.Ordinal)
            .Replace("{ \"name\": \"actif\", \"type\": \"boolean\" }", "{ \"name\": \"actif\", \"type\": \"boolean\", \"trueValues\": [\"1\", \"true\", \"TRUE\", \"True\"] }", StringComparison.Ordinal);
        Assert.Empty(StructureChange.Compare(Before, after));
        Assert.Null(StructureNote.Of("v1", StructureChange.Compare(Before, after)));
    }

    [Fact]
    public void Each_kind_of_change_is_listed_and_said_in_French()
    {
        const string After = """
            {
              "fields": [
                { "name": "statut", "type": "string", "constraints": { "enum": ["a", "c"], "required": true } },
                { "name": "id", "type": "string", "constraints": { "required": true } },
                { "name": "effectif", "type": "number", "constraints": { "minimum": 1 } },
                { "name": "courriel", "type": "string", "format": "email" },
                { "name": "actif", "type": "boolean", "trueValues": ["oui"] },
                { "name": "site", "type": "string" },
                { "name": "r&d<x>", "type": "integer" }
              ],
              "primaryKey": ["id", "site"],
              "missingValues": ["", "NA"]
            }
            """;
        var changes = StructureChange.Compare(Before, After);
        Assert.Equal(
            [
                ("field-added", "site", null), ("field-added", "r&d<x>", null), ("field-removed", "ville", null),
                ("constraint", "statut", "required"), ("constraint", "statut", "enum"),
                ("constraint", "id", "unique"),
                ("type", "effectif", null), ("constraint", "effectif", "minimum"),
                ("format", "courriel", null),
                ("boolean-values", "actif", "trueValues"),
                ("missing-values", null, null), ("primary-key", null, null), ("field-order", null, null),
            ],
            changes.Select(c => (c.Change, c.Field, c.Property)));

        Assert.Equal(StructureChange.Kinds.Order(StringComparer.Ordinal), changes.Select(c => c.Change).Distinct().Order(StringComparer.Ordinal)); // every kind

        var note = StructureNote.Of("2026-11-20", changes)!;
        Assert.True(note.FieldsDiffer);
        Assert.Equal(
            "Structure modifiée depuis la version 2026-11-20 : champ ajouté « site » (string) ; champ ajouté « r&d<x> » (integer) ; champ retiré « ville » ; "
            + "« statut » devient obligatoire ; valeurs permises de « statut » : ajoutée \"c\", retirée \"b\" ; « id » n'est plus unique ; "
            + "type de « effectif » : integer → number ; minimum de « effectif » : 0 → 1 ; format de « courriel » : default → email ; "
            + "valeurs vraies (trueValues) de « actif » : \"true\", \"True\", \"TRUE\", \"1\" → \"oui\" ; valeurs manquantes (missingValues) : \"\" → \"\", \"NA\" ; "
            + "clé primaire : « id » → « id », « site » ; ordre des champs : « statut », « id », « effectif », « courriel », « actif », « site », « r&d<x> ».",
            note.Plain());
    }

    [Fact]
    public void A_version_published_before_schema_json_is_compared_by_the_schema_its_datapackage_embeds()
    {
        var package = System.Text.Json.Nodes.JsonNode.Parse($$"""{ "resources": [ { "name": "x", "schema": {{Before}} } ] }""");
        var schema = StructureChange.SchemaOfDataPackage(package)!;
        Assert.Empty(StructureChange.Compare(schema, System.Text.Json.Nodes.JsonNode.Parse(Before)!.AsObject()));
    }
}
