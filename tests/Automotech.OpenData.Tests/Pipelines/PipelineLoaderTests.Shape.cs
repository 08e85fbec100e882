using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Tests.Pipelines;

/// <summary>pipeline.yaml: values left null, a file that is not one mapping, numbers no comparison holds for.</summary>
public partial class PipelineLoaderTests
{
    [Theory]
    [InlineData("  type_acteur: { from: type_acteur }\n", "  type_acteur: ~\n", "type_acteur: ~", "fields.type_acteur has no value: give it a section (key: value lines), or remove the entry.")]
    [InlineData("where: { statut_adhesion: adherent } }", "where: { statut_adhesion: ~ } }", "statut_adhesion: ~", "metadata.key_figures.where.statut_adhesion has no value: give it text, or remove the entry.")]
    [InlineData("keywords: [automobile, mobilités", "keywords: [automobile, ~, mobilités", "~, mobilités", "metadata.keywords: an item of this list has no value: give it text, or remove the item.")]
    public void A_mapping_value_or_list_item_left_null_is_a_mistake_named_with_its_line(string from, string to, string at, string expected)
    {
        // A null field rule crashed the checks (NullReferenceException); a null in 'where' or a list passed without a word.
        var yaml = "";
        using var temp = CopyOfActeurs(original => yaml = original.Replace(from, to, StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Equal($"{Path.Combine(temp.Combine("acteurs"), "pipeline.yaml")}, {At(yaml, at)}: {expected}", e.Message);
    }

    [Theory]
    [InlineData("- id: acteurs\n- source: { kind: csv }\n", "a list")]
    [InlineData("acteurs\n", "a value ('acteurs')")]
    public void A_file_that_is_not_a_mapping_of_keys_is_said_so_plainly(string yaml, string what)
    {
        using var temp = CopyOfActeurs(_ => yaml);
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Equal($"{Path.Combine(temp.Combine("acteurs"), "pipeline.yaml")}, line 1, column 1: pipeline.yaml must be a mapping of keys (id, metadata, source…, one 'key: value' per line), not {what}.", e.Message);
    }

    [Fact]
    public void A_second_yaml_document_is_a_mistake_reported_with_those_of_the_first()
    {
        var yaml = "";
        using var temp = CopyOfActeurs(original => yaml = original.Replace("  update_frequency:", "  update_frequncy:", StringComparison.Ordinal) + "---\nid: autre\n");
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.StartsWith($"{Path.Combine(temp.Combine("acteurs"), "pipeline.yaml")}: 2 problem(s) in the pipeline definition:", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{At(yaml, "update_frequncy")}: unknown key 'update_frequncy' in metadata", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{At(yaml, "---\nid: autre")}: a second YAML document starts here: pipeline.yaml is one YAML document only (remove this '---' and what follows, or merge it into the first document).", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("StreamEnd", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("max_error_ratio: 0.05", "max_error_ratio: .nan", "validation.max_error_ratio must be between 0 and 1.")]
    [InlineData("max_error_ratio: 0.05", "max_error_ratio: -.inf", "validation.max_error_ratio must be between 0 and 1.")]
    [InlineData("max_km: 15", "max_km: .nan", "validation.row_checks: position_near_commune's max_km must be a distance in km above 0, not NaN.")]
    [InlineData("max_km: 15", "max_km: -1", "validation.row_checks: position_near_commune's max_km must be a distance in km above 0, not -1.")]
    [InlineData("max_km: 15", "max_km: .inf", "validation.row_checks: position_near_commune's max_km must be a distance in km above 0, not Infinity.")]
    public void A_number_out_of_range_is_a_mistake_even_when_no_comparison_holds_for_it(string from, string to, string expected)
    {
        // NaN passed '< 0 or > 1': every run then failed on "threshold NaN", or a row check rejected every row.
        using var temp = CopyOfActeurs(yaml => yaml.Replace(from, to, StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Equal($"{Path.Combine(temp.Combine("acteurs"), "pipeline.yaml")}: 1 problem(s) in the pipeline definition:{Environment.NewLine}  - {expected}", e.Message);
    }

    [Theory]
    [InlineData(".nan")]
    [InlineData("0")]
    [InlineData("1.5")]
    public void A_dominance_share_out_of_its_range_or_nan_is_a_mistake_not_the_dominance_rule_switched_off(string share)
    {
        // NaN passed '<= 0 or > 1', and no cell is ever dominant beyond a NaN share: fewer cells were masked.
        using var temp = CopyOfActeurs(yaml => yaml);
        var chiffres = Path.Combine(Repo.Pipelines, "chiffres-cles");
        temp.File("chiffres-cles/schema.json", File.ReadAllText(Path.Combine(chiffres, "schema.json")));
        temp.File("chiffres-cles/pipeline.yaml", File.ReadAllText(Path.Combine(chiffres, "pipeline.yaml")).Replace("dominance_share: 0.85", $"dominance_share: {share}", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.LoadAll(temp.Path));
        Assert.Contains("aggregate.secret: min_contributors must be at least 1 and dominance_share in ]0, 1].", e.Message, StringComparison.Ordinal);
    }
}
