using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Tests.Pipelines;

/// <summary>
/// <c>metadata.charts</c>: the dataset page's bars are declared, each by a published field, with
/// the labels readers see. A declaration that could only draw nothing, or a wrong bar, is refused
/// when the definition is loaded, before anything is read.
/// </summary>
public sealed class ChartDefinitionTests
{
    private const string Declared = """
      charts:
        - field: type_acteur
          title: Par type d'acteur
          labels:
            grand-groupe: Grand groupe
            eti: ETI
            pme: PME
            tpe: TPE
            start-up: Start-up
            formation: Établissement de formation
            laboratoire: Laboratoire
            plateforme-technologique: Plateforme technologique
            centre-essais: Centre d'essais

    """;

    [Fact]
    public void The_shipped_definitions_declare_their_charts_with_labels_in_order()
    {
        var all = PipelineLoader.LoadAll(Repo.Pipelines);
        var type = Assert.Single(all.Single(p => p.Id == "acteurs").Metadata.Charts!);
        Assert.Equal(("type_acteur", "Par type d'acteur", "count", "PME"), (type.Field, type.Title, type.Order, type.Labels["pme"]));

        var sirene = all.Single(p => p.Id == "sirene-automobile").Metadata.Charts!;
        Assert.Equal(["libelle_naf", "tranche_effectif"], sirene.Select(c => c.Field));
        Assert.Equal("labels", sirene[1].Order);
        Assert.Equal(["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53"], sirene[1].Labels.Keys);
        Assert.Null(all.Single(p => p.Id == "chiffres-cles").Metadata.Charts);
    }

    [Theory]
    [InlineData("field: type_acteur", "field: type_acteurs", "metadata.charts[0]: field 'type_acteurs' is not a published field of schema.json.")]
    [InlineData("pme: PME", "pmes: PME", "metadata.charts[0].labels: 'pmes' can never be a value of type_acteur: it is not one of the field's enum values (grand-groupe, eti, pme, tpe, start-up, formation, laboratoire, plateforme-technologique, centre-essais).")]
    [InlineData("title: Par type d'acteur", "title: \"\"", "metadata.charts[0]: title is required, at most 80 characters (the chart's heading: « Par type d'acteur »).")]
    [InlineData("pme: PME", "pme: \"\"", "metadata.charts[0].labels: each label is a text of 1 to 60 characters (a bar's name).")]
    [InlineData("title: Par type d'acteur", "title: Par type d'acteur\n      order: size", "metadata.charts[0]: order must be count or labels, not 'size'.")]
    public void A_chart_that_would_draw_nothing_or_a_wrong_bar_is_refused_naming_it(string from, string to, string error)
    {
        using var temp = CopyOfActeurs(Declared.Replace(from, to, StringComparison.Ordinal));

        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));

        Assert.Contains(error, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bars_in_the_order_of_labels_need_labels_and_a_field_is_charted_once()
    {
        using var temp = CopyOfActeurs("""
          charts:
            - { field: code_departement, title: Par département, order: labels }
            - { field: type_acteur, title: Par type }
            - { field: type_acteur, title: Par type encore }

        """);

        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));

        Assert.Contains("metadata.charts[0]: order: labels draws the bars in the order of labels, and it declares none.", e.Message, StringComparison.Ordinal);
        Assert.Contains("metadata.charts: field 'type_acteur' is charted 2 times.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_aggregate_declares_no_chart()
    {
        using var temp = new TempFolder();
        foreach (var id in new[] { "acteurs", "chiffres-cles" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(Repo.Pipelines, id)))
            {
                temp.File($"{id}/{Path.GetFileName(file)}", File.ReadAllText(file));
            }
        }

        var yaml = temp.Combine("chiffres-cles", "pipeline.yaml");
        var text = File.ReadAllText(yaml);
        File.WriteAllText(yaml, text.Replace("\nmetadata:\n", "\nmetadata:\n  charts:\n    - { field: departement, title: Par département }\n", StringComparison.Ordinal));

        var e = Assert.Throws<PipelineException>(() => PipelineLoader.LoadAll(temp.Path));

        Assert.Contains("metadata.charts: an aggregate's rows are table cells, not things to count: its page draws no chart.", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The shipped acteurs with its charts replaced by <paramref name="charts"/> (YAML under metadata).</summary>
    private static TempFolder CopyOfActeurs(string charts)
    {
        var temp = new TempFolder();
        var source = Path.Combine(Repo.Pipelines, "acteurs");
        var yaml = File.ReadAllText(Path.Combine(source, "pipeline.yaml"));
        var start = yaml.IndexOf("  charts:\n", StringComparison.Ordinal);
        var end = yaml.IndexOf("  # Counted from the published rows", StringComparison.Ordinal);
        Assert.True(start > 0 && end > start, "the shipped acteurs declares its charts before its key figures");
        temp.File("acteurs/schema.json", File.ReadAllText(Path.Combine(source, "schema.json")));
        temp.File("acteurs/pipeline.yaml", yaml[..start] + charts + yaml[end..]);
        return temp;
    }
}
