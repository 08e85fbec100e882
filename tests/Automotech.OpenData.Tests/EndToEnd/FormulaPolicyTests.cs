namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>The pipeline chooses what to do with cells a spreadsheet would run as formulas.</summary>
public sealed class FormulaPolicyTests
{
    [Fact]
    public async Task Neutralise_keeps_the_row_and_quotes_the_cell_in_the_csv_only()
    {
        using var site = new DemoSite();
        var pipelines = site.Temp("pipelines", "acteurs");
        Directory.CreateDirectory(pipelines);
        File.Copy(Path.Combine(Repo.Pipelines, "acteurs", "schema.json"), Path.Combine(pipelines, "schema.json"));
        var yaml = File.ReadAllText(Path.Combine(Repo.Pipelines, "acteurs", "pipeline.yaml"))
            .Replace("formula_cells: reject", "formula_cells: neutralise", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(pipelines, "pipeline.yaml"), yaml);
        var source = Sources.Corpus.PathOf("formula_injection_in_description.csv");

        Assert.Equal(0, await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={new string('k', 40)}", $"--Pipeline:Directory={site.Temp("pipelines")}"));

        var csv = await File.ReadAllTextAsync(site.Path("datasets", "acteurs", "latest", "acteurs.csv"));
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Cliquez\"\")\"", csv, StringComparison.Ordinal);
        var parquet = DuckDb.Query($"SELECT description FROM read_parquet({DuckDb.Quote(site.Path("datasets", "acteurs", "latest", "acteurs.parquet"))}) WHERE description LIKE '%HYPERLINK%'");
        Assert.Equal("=HYPERLINK(\"http://evil.example\",\"Cliquez\")", Assert.Single(parquet)[0]);
    }
}
