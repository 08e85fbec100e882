using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Tests.Pipelines;

/// <summary>
/// Constraints no value can meet, and a key naming a field twice: the definition is refused when
/// loaded, not found out when every row is rejected.
/// </summary>
public partial class PipelineLoaderTests
{
    [Fact]
    public void Contradictory_constraints_of_schema_json_are_refused_with_their_place()
    {
        var schema = "";
        using var temp = CopyOfActeurs(yaml => yaml, original => schema = original
            .Replace("\"constraints\": { \"required\": true, \"maxLength\": 200 }", "\"constraints\": { \"required\": true, \"minLength\": 300, \"maxLength\": 200 }", StringComparison.Ordinal)
            .Replace("\"minimum\": 2000, \"maximum\": 2100", "\"minimum\": 2100, \"maximum\": 2000", StringComparison.Ordinal)
            .Replace("\"minimum\": -0.4, \"maximum\": 4.9", "\"minimum\": 4.9, \"maximum\": -0.4", StringComparison.Ordinal)
            .Replace("\"primaryKey\": [\"identifiant\"]", "\"primaryKey\": [\"identifiant\", \"identifiant\"]", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));

        Assert.Contains($"{At(schema, "200 }")}: fields[1].constraints.maxLength (field 'nom'): 200 is below minLength 300: no value can pass, every row would be rejected.", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{At(schema, "2000 }")}: fields[4].constraints.maximum (field 'annee_adhesion'): 2000 is below minimum 2100: no value can pass, every row would be rejected.", e.Message, StringComparison.Ordinal);
        Assert.Contains("(field 'longitude'): -0.4 is below minimum 4.9: no value can pass", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{At(schema, "\"identifiant\"]")}: primaryKey[1]: 'identifiant' is already in the key at primaryKey[0]: name each field once.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_bounds_are_not_a_contradiction()
    {
        using var temp = CopyOfActeurs(yaml => yaml, original => original
            .Replace("\"constraints\": { \"required\": true, \"maxLength\": 200 }", "\"constraints\": { \"required\": true, \"minLength\": 200, \"maxLength\": 200 }", StringComparison.Ordinal)
            .Replace("\"minimum\": 2000, \"maximum\": 2100", "\"minimum\": 2000, \"maximum\": 2000", StringComparison.Ordinal));
        var definition = PipelineLoader.Load(temp.Combine("acteurs"));
        Assert.Equal(200, definition.Schema.Find("nom")!.Constraints.MinLength);
    }

    [Fact]
    public void Contradictory_constraints_of_the_source_schema_are_refused()
    {
        using var temp = CopyOfActeurs(yaml => yaml
            .Replace("constraints: { required: true, maxLength: 200 }", "constraints: { required: true, minLength: 300, maxLength: 200 }", StringComparison.Ordinal)
            .Replace("minimum: \"42.3\", maximum: \"45.1\"", "minimum: \"45.1\", maximum: \"42.3\"", StringComparison.Ordinal)
            .Replace("    primaryKey: [siret]", "    primaryKey: [siret, siret]", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));

        Assert.Contains("source.schema: field 'raison_sociale': maxLength 200 is below minLength 300: no value can pass, every row would be rejected.", e.Message, StringComparison.Ordinal);
        Assert.Contains("source.schema: field 'latitude': maximum 42.3 is below minimum 45.1: no value can pass, every row would be rejected.", e.Message, StringComparison.Ordinal);
        Assert.Contains("source.schema: primaryKey names 'siret' 2 times: name each field once.", e.Message, StringComparison.Ordinal);
    }
}
