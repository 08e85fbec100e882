using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Tests.Pipelines;

/// <summary>
/// <c>outputs.latitude</c>, <c>outputs.longitude</c> and <c>outputs.departement</c>: the fields the
/// GeoJSON's points, the page's map and its bars by département are read from. A declaration that
/// would draw nothing, or draw it wrong, is refused when the definition is loaded, naming its key.
/// </summary>
public sealed class GeoFieldsDefinitionTests
{
    [Fact]
    public void The_shipped_definitions_declare_none_and_keep_the_fields_of_before()
    {
        // Their datapackage.json is then as it was (no geoFields), and so are their versions.
        foreach (var pipeline in PipelineLoader.LoadAll(Repo.Pipelines))
        {
            var o = pipeline.Outputs;
            Assert.Equal((null, null, null), (o.Latitude, o.Longitude, o.Departement));
            Assert.Equal(("latitude", "longitude", "code_departement"), (o.LatitudeField, o.LongitudeField, o.DepartementField));
        }
    }

    [Theory]
    [InlineData("  latitude: latitude\n", "outputs.latitude is declared without outputs.longitude: a position needs both; declare both, or neither for the fields named latitude and longitude.")]
    [InlineData("  longitude: longitude\n", "outputs.longitude is declared without outputs.latitude: a position needs both; declare both, or neither for the fields named latitude and longitude.")]
    [InlineData("  latitude: lat\n  longitude: longitude\n", "outputs.latitude: 'lat' is not a published field of schema.json.")]
    [InlineData("  latitude: commune\n  longitude: longitude\n", "outputs.latitude: field 'commune' is of type string; a position is a number of degrees (WGS 84): it must be of type number in schema.json.")]
    [InlineData("  latitude: latitude\n  longitude: annee_adhesion\n", "outputs.longitude: field 'annee_adhesion' is of type year; a position is a number of degrees (WGS 84): it must be of type number in schema.json.")]
    [InlineData("  latitude: latitude\n  longitude: latitude\n", "outputs.latitude and outputs.longitude both name 'latitude': a position needs two fields.")]
    [InlineData("  latitude: longitude\n  longitude: latitude\n", "outputs.latitude names 'longitude' and outputs.longitude 'latitude': are they swapped?")]
    [InlineData("  departement: code_dep\n", "outputs.departement: 'code_dep' is not a published field of schema.json.")]
    [InlineData("  departement: latitude\n", "outputs.departement: field 'latitude' is of type number; a département code is text (09, 31), which a number would write 9: it must be of type string in schema.json.")]
    public void A_field_that_would_draw_nothing_or_draw_it_wrong_is_refused_naming_its_key(string declared, string error)
    {
        using var temp = CopyOfActeurs("outputs:\n  formats: [csv, parquet, geojson]\n" + declared);

        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));

        Assert.Contains(error, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fields_declared_for_a_page_that_has_no_csv_to_count_them_in_are_refused()
    {
        using var temp = CopyOfActeurs("outputs:\n  formats: [parquet]\n  latitude: latitude\n  longitude: longitude\n  departement: code_departement\n");

        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));

        Assert.Contains("outputs.departement: the bars by département and the map are counted in the published CSV, so outputs.formats must include csv (it is parquet).", e.Message, StringComparison.Ordinal);
        Assert.Contains("outputs.latitude, outputs.longitude: the positions would be drawn nowhere: outputs.formats has neither geojson nor csv, in which the page's map is counted (it is parquet).", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Declared_fields_that_are_right_load()
    {
        using var temp = CopyOfActeurs("outputs:\n  formats: [csv, parquet]\n  latitude: latitude\n  longitude: longitude\n  departement: code_departement\n");

        var o = PipelineLoader.Load(temp.Combine("acteurs")).Outputs;

        Assert.Equal(("latitude", "longitude", "code_departement"), (o.Latitude, o.Longitude, o.Departement));
    }

    [Fact]
    public void An_aggregate_declares_no_map_field()
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
        File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("\noutputs:\n", "\noutputs:\n  departement: departement\n", StringComparison.Ordinal));

        var e = Assert.Throws<PipelineException>(() => PipelineLoader.LoadAll(temp.Path));

        Assert.Contains("outputs.departement: an aggregate's rows are table cells, not places: its page draws no map nor bars by département (leave the key out).", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The shipped acteurs with its <c>outputs</c> section (its last) replaced by <paramref name="outputs"/>.</summary>
    private static TempFolder CopyOfActeurs(string outputs)
    {
        var temp = new TempFolder();
        var source = Path.Combine(Repo.Pipelines, "acteurs");
        var yaml = File.ReadAllText(Path.Combine(source, "pipeline.yaml"));
        var start = yaml.IndexOf("\noutputs:\n", StringComparison.Ordinal);
        Assert.True(start > 0 && !yaml[(start + 1)..].Split('\n').Skip(1).Any(l => l.Length > 0 && l[0] != ' ' && l[0] != '#'), "the shipped acteurs ends with its outputs");
        temp.File("acteurs/schema.json", File.ReadAllText(Path.Combine(source, "schema.json")));
        temp.File("acteurs/pipeline.yaml", yaml[..(start + 1)] + outputs);
        return temp;
    }
}
