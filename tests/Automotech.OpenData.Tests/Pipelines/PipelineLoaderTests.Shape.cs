using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Tests.Pipelines;

/// <summary>pipeline.yaml: values left null, a file that is not one mapping, numbers no comparison holds for.</summary>
public partial class PipelineLoaderTests
{
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
