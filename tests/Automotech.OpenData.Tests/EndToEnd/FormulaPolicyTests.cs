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

    /// <summary>
    /// A derived table's labels are source values too. A cluster whose actor types are free text,
    /// and whose acteurs neutralises formulas, publishes a type "=1+2" quoted in acteurs.csv; it
    /// reaches chiffres-cles as a label, which follows chiffres-cles' own policy: reject (the
    /// default) fails the run, publishing nothing, and neutralise quotes it in the CSV.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_derived_table_follows_its_own_formula_policy(bool neutralise)
    {
        using var site = new DemoSite();
        const string types = "grand-groupe, eti, pme, tpe, start-up, formation, laboratoire, plateforme-technologique, centre-essais";
        var quotedTypes = string.Join(", ", types.Split(", ").Select(t => $"\"{t}\""));
        void Copy(string pipeline, string file, Func<string, string> change)
        {
            var text = File.ReadAllText(Path.Combine(Repo.Pipelines, pipeline, file));
            var changed = change(text);
            Assert.NotEqual(text, changed);
            Directory.CreateDirectory(site.Temp("pipelines", pipeline));
            File.WriteAllText(site.Temp("pipelines", pipeline, file), changed);
        }

        Copy("acteurs", "pipeline.yaml", t => t
            .Replace($"enum: [{types}]", "maxLength: 40", StringComparison.Ordinal)
            .Replace("formula_cells: reject", "formula_cells: neutralise", StringComparison.Ordinal));
        Copy("acteurs", "schema.json", t => t.Replace($"\"enum\": [{quotedTypes}]", "\"maxLength\": 40", StringComparison.Ordinal));
        Copy("chiffres-cles", "schema.json", t => t.Replace($"\"enum\": [{quotedTypes}]", "\"maxLength\": 40", StringComparison.Ordinal));
        Copy("chiffres-cles", "pipeline.yaml", t => neutralise ? t + "\nvalidation:\n  formula_cells: neutralise\n" : t + "\n");
        var source = site.Temp("formula-types.csv");
        File.WriteAllText(source, File.ReadAllText(Repo.DemoSource).Replace(",start-up,oui,", ",=1+2,oui,", StringComparison.Ordinal));

        var exit = await site.RunAsync("publish", "--pipeline", "acteurs", "--source", source, $"--Anonymisation:Key={new string('k', 40)}", $"--Pipeline:Directory={site.Temp("pipelines")}");

        if (neutralise)
        {
            Assert.Equal(0, exit);
            var csv = await File.ReadAllTextAsync(site.Path("datasets", "chiffres-cles", "latest", "chiffres-cles.csv"));
            Assert.Contains("type,,,'=1+2,", csv, StringComparison.Ordinal);
            Assert.DoesNotContain(",=1+2,", csv, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(1, exit);
            Assert.Contains("chiffres-cles: the computed table breaks its schema.json", site.Error, StringComparison.Ordinal);
            Assert.Contains("type_acteur csv-injection", site.Error, StringComparison.Ordinal);
            Assert.False(Directory.Exists(site.Path("datasets")));
        }
    }
}
