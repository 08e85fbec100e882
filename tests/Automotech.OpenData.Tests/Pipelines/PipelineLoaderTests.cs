using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Tests.Pipelines;

public class PipelineLoaderTests
{
    [Fact]
    public void The_bundled_pipelines_load()
    {
        var acteurs = Assert.Single(PipelineLoader.LoadAll(Repo.Pipelines), p => p.Id == "acteurs");
        Assert.Equal(["identifiant"], acteurs.Schema.PrimaryKey);
        Assert.Contains("contact_email", acteurs.Anonymisation.Drop);
    }

    [Fact]
    public void A_source_field_that_no_rule_mentions_is_an_error_so_new_columns_never_leak()
    {
        using var temp = CopyOfActeurs(yaml => yaml.Replace("contact_fonction, contact_email", "contact_email", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Contains("'contact_fonction' is neither used by a field rule nor listed in anonymisation.drop", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        using var temp = CopyOfActeurs(yaml => yaml
            .Replace("transform: naf_label", "transform: naf_labl", StringComparison.Ordinal)
            .Replace("{ from: type_acteur }", "{ from: type_actor }", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Contains("unknown transform 'naf_labl'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'from: type_actor' is not a source field", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_syntax_errors_name_the_file_and_line()
    {
        using var temp = CopyOfActeurs(yaml => yaml.Replace("validation:\n", "validation:\n  : [\n", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Matches(@"pipeline\.yaml, line \d+", e.Message);
    }

    [Fact]
    public void Unknown_keys_are_errors_not_silently_ignored()
    {
        using var temp = CopyOfActeurs(yaml => yaml.Replace("  max_error_ratio:", "  max_eror_ratio:", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Contains("pipeline.yaml, line", e.Message, StringComparison.Ordinal);
    }

    private static TempFolder CopyOfActeurs(Func<string, string> edit)
    {
        var temp = new TempFolder();
        var source = Path.Combine(Repo.Pipelines, "acteurs");
        temp.File("acteurs/schema.json", File.ReadAllText(Path.Combine(source, "schema.json")));
        temp.File("acteurs/pipeline.yaml", edit(File.ReadAllText(Path.Combine(source, "pipeline.yaml"))));
        return temp;
    }
}
