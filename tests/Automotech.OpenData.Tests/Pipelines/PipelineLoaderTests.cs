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
        Assert.Contains("unknown key 'max_eror_ratio' in this section", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Automotech.OpenData", e.Message, StringComparison.Ordinal); // no .NET type names
    }

    [Theory]
    [InlineData("max_error_ratio: 0.05", "max_error_ratio: beaucoup", "'beaucoup' is not a value this key takes")]
    [InlineData("max_error_ratio: 0.05", "max_error_ratio: [1, 2]", "this key takes a number")]
    public void A_value_of_the_wrong_type_is_said_in_the_pipelines_words(string from, string to, string expected)
    {
        using var temp = CopyOfActeurs(yaml => yaml.Replace(from, to, StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Matches(@"pipeline\.yaml, line \d+, column \d+: ", e.Message);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void K_anonymity_mistakes_are_reported_with_the_others()
    {
        using var temp = CopyOfActeurs(yaml => yaml
            .Replace("    k: 3\n", "    k: 1\n", StringComparison.Ordinal)
            .Replace("                        code_commune, commune,", "                        code_comune, commune,", StringComparison.Ordinal)
            .Replace("transform: naf_division }", "transform: naf_divison }", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Contains("anonymisation.k_anonymity.k must be at least 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("quasi_identifiers: 'code_comune' is not a field of schema.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("steps.naf-vers-division.code_naf: unknown transform 'naf_divison'", e.Message, StringComparison.Ordinal);
        Assert.Contains("published field 'code_commune' is neither a quasi-identifier nor withheld, constant or pseudonymised for natural persons", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_derived_dataset_is_checked_against_its_schema_and_its_parent()
    {
        using var temp = CopyOfActeurs(yaml => yaml);
        var chiffres = Path.Combine(Repo.Pipelines, "chiffres-cles");
        temp.File("chiffres-cles/schema.json", File.ReadAllText(Path.Combine(chiffres, "schema.json")));
        temp.File("chiffres-cles/pipeline.yaml", File.ReadAllText(Path.Combine(chiffres, "pipeline.yaml"))
            .Replace("from: effectif,", "from: effectifs,", StringComparison.Ordinal)
            .Replace("{ field: nombre_adherents }", "{ field: nombre_adherent }", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.LoadAll(temp.Path));
        Assert.Contains("aggregate: 'nombre_adherent' is not a field of schema.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("schema.json: field 'nombre_adherents' is not computed by the aggregate section", e.Message, StringComparison.Ordinal);

        temp.File("chiffres-cles/pipeline.yaml", File.ReadAllText(Path.Combine(chiffres, "pipeline.yaml")).Replace("from: effectif,", "from: effectifs,", StringComparison.Ordinal));
        e = Assert.Throws<PipelineException>(() => PipelineLoader.LoadAll(temp.Path));
        Assert.Contains("aggregate: 'effectifs' is not a source field of 'acteurs'", e.Message, StringComparison.Ordinal);

        temp.File("chiffres-cles/pipeline.yaml", File.ReadAllText(Path.Combine(chiffres, "pipeline.yaml")).Replace("from: acteurs", "from: acteur", StringComparison.Ordinal));
        e = Assert.Throws<PipelineException>(() => PipelineLoader.LoadAll(temp.Path));
        Assert.Contains("source.from: no pipeline 'acteur' to derive from (known: acteurs)", e.Message, StringComparison.Ordinal);
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
