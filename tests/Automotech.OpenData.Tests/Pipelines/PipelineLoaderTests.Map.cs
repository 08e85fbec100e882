using Automotech.OpenData.Anonymisation;
using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Tests.Pipelines;

/// <summary>A map says what each value becomes: a value it does not list is never published unchanged without a word.</summary>
public partial class PipelineLoaderTests
{
    private const string AdherentField = "      - { name: adherent, type: string, constraints: { required: true, enum: [oui, non] } }";

    [Theory]
    // No enum: any CRM code (a typo, a new status) would have been published as it is.
    [InlineData("constraints: { required: true } }", "", "fields.statut_adhesion: map lists oui, non, but source field 'adherent' may hold other values (it has no enum), which would be published unchanged: give it constraints.enum with the listed values (a row with another value is then rejected, at its line), or say what an unlisted value becomes: otherwise: keep (published unchanged) or otherwise: empty (published empty).")]
    // An enum value the map forgets.
    [InlineData("constraints: { required: true, enum: [oui, non, suspendu] } }", "", "fields.statut_adhesion: map lists no value for 'suspendu', which source field 'adherent' allows (its enum): it would be published unchanged: add it to the map, or say what an unlisted value becomes: otherwise: keep (published unchanged) or otherwise: empty (published empty).")]
    [InlineData("constraints: { required: true } }", ", otherwise: maybe", "fields.statut_adhesion: otherwise must be keep or empty, not 'maybe'.")]
    public void A_map_that_could_meet_a_value_it_does_not_list_must_say_what_it_becomes(string constraints, string otherwise, string expected)
    {
        using var temp = CopyOfActeurs(yaml => yaml
            .Replace(AdherentField, AdherentField.Replace("constraints: { required: true, enum: [oui, non] } }", constraints, StringComparison.Ordinal), StringComparison.Ordinal)
            .Replace("map: { oui: adherent, non: prospect } }", $"map: {{ oui: adherent, non: prospect }}{otherwise} }}", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Equal($"{Path.Combine(temp.Combine("acteurs"), "pipeline.yaml")}: 1 problem(s) in the pipeline definition:{Environment.NewLine}  - {expected}", e.Message);
    }

    [Theory]
    [InlineData(", otherwise: keep")]
    [InlineData(", otherwise: empty")]
    public void A_map_that_says_what_an_unlisted_value_becomes_loads_without_an_enum(string otherwise)
    {
        using var temp = CopyOfActeurs(yaml => yaml
            .Replace(AdherentField, AdherentField.Replace(", enum: [oui, non]", "", StringComparison.Ordinal), StringComparison.Ordinal)
            .Replace("map: { oui: adherent, non: prospect } }", $"map: {{ oui: adherent, non: prospect }}{otherwise} }}", StringComparison.Ordinal));
        Assert.Equal("acteurs", PipelineLoader.Load(temp.Combine("acteurs")).Id);
    }

    [Fact]
    public void Otherwise_applies_to_a_map_only()
    {
        using var temp = CopyOfActeurs(yaml => yaml.Replace("{ from: type_acteur }", "{ from: type_acteur, otherwise: keep }", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Contains("fields.type_acteur: otherwise says what a value a map does not list becomes: it needs a map.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("keep", "oui>adherent suspendu>suspendu <null>")]
    [InlineData("empty", "oui>adherent suspendu><null> <null>")]
    public void Otherwise_keep_publishes_an_unlisted_value_unchanged_and_empty_publishes_nothing(string otherwise, string expected)
    {
        var rule = new FieldRule { From = "adherent", Map = new() { ["oui"] = "adherent", ["non"] = "prospect" }, Otherwise = otherwise };
        var compute = Anonymiser.CompileRule(rule, ["adherent"]);
        var batch = new ColumnBatch(["adherent"], 3);
        foreach (var value in new[] { "oui", "suspendu", null })
        {
            batch.Set(batch.AddRow(1), 0, value);
        }

        var published = Enumerable.Range(0, 3).Select(r => compute(batch, r) ?? "<null>").ToList();
        Assert.Equal(expected, $"oui>{published[0]} suspendu>{published[1]} {published[2]}");
    }

    [Theory]
    [InlineData("rule: { from: type_acteur, otherwise: keep }", "aggregate: otherwise must be keep or empty, with a map, not 'keep' without one.")]
    [InlineData("rule: { from: type_acteur, map: { pme: PME }, otherwise: emtpy }", "aggregate: otherwise must be keep or empty, with a map, not 'emtpy'.")]
    public void An_aggregate_rules_otherwise_is_checked_too(string rule, string expected)
    {
        // Not checked, a misspelt 'emtpy' would have kept unlisted values unchanged without a word.
        using var temp = CopyOfActeurs(yaml => yaml);
        var chiffres = Path.Combine(Repo.Pipelines, "chiffres-cles");
        temp.File("chiffres-cles/schema.json", File.ReadAllText(Path.Combine(chiffres, "schema.json")));
        temp.File("chiffres-cles/pipeline.yaml", File.ReadAllText(Path.Combine(chiffres, "pipeline.yaml")).Replace("rule: { from: type_acteur }", rule, StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.LoadAll(temp.Path));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
