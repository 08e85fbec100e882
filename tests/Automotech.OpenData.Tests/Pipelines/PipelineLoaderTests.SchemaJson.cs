using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Tests.Pipelines;

/// <summary>schema.json: read as strict JSON, every mistake at once, each with its JSON path, line and column.</summary>
public partial class PipelineLoaderTests
{
    [Fact]
    public void Every_mistake_of_schema_json_is_reported_in_one_run_each_with_its_path_line_and_column()
    {
        // Independent mistakes of every kind; the old reader stopped at the first one it could not
        // convert and let misspelt or unkept properties pass without a word.
        var schema = "";
        using var temp = CopyOfActeurs(yaml => yaml, original => schema = original
            .Replace("\"constraints\": { \"required\": true, \"maxLength\": 200 }", "\"constraint\": { \"required\": true, \"maxLength\": 200 }", StringComparison.Ordinal)
            .Replace("\"enum\": [\"adherent\", \"prospect\"]", "\"enum\": \"adherent\"", StringComparison.Ordinal)
            .Replace("\"maximum\": 2100", "\"maximun\": 2100", StringComparison.Ordinal)
            .Replace("(\\\\.[0-9]{2}[A-Z])?", "(\\\\.[0-9]{2}[A-Z]?", StringComparison.Ordinal)
            .Replace("\"type\": \"boolean\"", "\"type\": \"bool\"", StringComparison.Ordinal)
            .Replace("\"name\": \"thematiques\"", "\"name\": \"sous_filieres\"", StringComparison.Ordinal)
            .Replace("{ \"minimum\": 42.3,", "{ \"exclusiveMinimum\": 42.3,", StringComparison.Ordinal)
            .Replace("\"required\": true, \"enum\": [\"adresse\"", "\"required\": \"oui\", \"enum\": [\"adresse\"", StringComparison.Ordinal)
            .Replace("\"primaryKey\": [\"identifiant\"]", "\"primaryKey\": [\"identifiant\", \"siret\"]", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));

        var schemaPath = Path.Combine(temp.Combine("acteurs"), "schema.json");
        Assert.Contains($"{schemaPath}: 9 problem(s) in the Table Schema:", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{At(schema, "\"constraint\":")}: fields[1].constraint (field 'nom'): unknown property 'constraint' in a field: did you mean 'constraints'?", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{At(schema, "\"adherent\" }")}: fields[3].constraints.enum (field 'statut_adhesion'): this property takes a list of values ([\"a\", \"b\"]), not the text \"adherent\".", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{At(schema, "\"maximun\"")}: fields[4].constraints.maximun (field 'annee_adhesion'): unknown property 'maximun' in constraints: did you mean 'maximum'? (constraints take required, unique, minLength, maxLength, pattern, enum, minimum, maximum;", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{At(schema, "\"[0-9]{2}(")}: fields[5].constraints.pattern (field 'code_naf'): not a pattern the validator can run (", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{At(schema, "\"bool\"")}: fields[7].type (field 'specialise_automobile'): 'bool' is not a Table Schema type (supported: string, integer, number, boolean, date, datetime, year).", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{At(schema, "\"sous_filieres\",\n      \"type\": \"string\",\n      \"title\": \"Thématiques\"")}: fields[9].name: field 'sous_filieres' is already declared at fields[8]: each name is declared once.", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{At(schema, "\"exclusiveMinimum\"")}: fields[14].constraints.exclusiveMinimum (field 'latitude'): 'exclusiveMinimum' is Table Schema, but no run checks it, so published it would promise what nobody verified: remove it.", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{At(schema, "\"oui\"")}: fields[16].constraints.required (field 'precision_localisation'): this property takes true or false, not the text \"oui\".", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{At(schema, "\"siret\"")}: primaryKey[1]: 'siret' is not a field of the schema.", e.Message, StringComparison.Ordinal);

        // A true consequence in the other file is reported too, in that file's own list.
        Assert.Contains($"{Path.Combine(temp.Combine("acteurs"), "pipeline.yaml")}: 1 problem(s) in the pipeline definition:", e.Message, StringComparison.Ordinal);
        Assert.Contains("fields.thematiques: not a field of schema.json.", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"constraints\": { \"required\": true, \"maxLength\": 200 }", "\"constraint\": { \"required\": true, \"maxLength\": 200 }", "unknown property 'constraint' in a field: did you mean 'constraints'?")]
    [InlineData("\"constraints\": { \"required\": true, \"maxLength\": 200 }", "\"constraints\": { \"required\": true, \"maxlenght\": 200 }", "unknown property 'maxlenght' in constraints: did you mean 'maxLength'?")]
    [InlineData("\"constraints\": { \"required\": true, \"maxLength\": 200 }", "\"required\": true, \"constraints\": { \"maxLength\": 200 }", "'required' is a constraint: put it in \"constraints\"")]
    [InlineData("\"constraints\": { \"required\": true, \"maxLength\": 200 }", "\"contraintes\": { \"required\": true, \"maxLength\": 200 }", "unknown property 'contraintes' in a field: did you mean 'constraints'?")]
    [InlineData("{ \"minimum\": 42.3,", "{ \"exclusiveMinimum\": 42.3,", "'exclusiveMinimum' is Table Schema, but no run checks it")]
    public void A_property_the_pipeline_would_not_read_is_an_error_not_a_silently_dropped_constraint(string from, string to, string expected)
    {
        // Read leniently, each of these loaded: the field 'nom' lost its required and maxLength, or
        // latitude's schema promised a bound that nothing checked.
        using var temp = CopyOfActeurs(yaml => yaml, schema => schema.Replace(from, to, StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Matches(@"schema\.json, line \d+, column \d+: fields\[\d+\]\.", e.Message);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_Schema_properties_that_only_describe_are_accepted()
    {
        using var temp = CopyOfActeurs(yaml => yaml, schema => schema
            .Replace("\"fields\": [", "\"title\": \"Acteurs\", \"fields\": [", StringComparison.Ordinal)
            .Replace("\"name\": \"identifiant\",", "\"name\": \"identifiant\", \"rdfType\": \"https://schema.org/identifier\", \"example\": \"12345678901234\",", StringComparison.Ordinal)
            .Replace("\"name\": \"annee_adhesion\",", "\"name\": \"annee_adhesion\", \"example\": 2021,", StringComparison.Ordinal));
        var acteurs = PipelineLoader.Load(temp.Combine("acteurs"));
        Assert.Equal("2021", acteurs.Schema.Find("annee_adhesion")!.Example);
        Assert.True(acteurs.Schema.Find("nom")!.Constraints.Required);
        Assert.Equal(200, acteurs.Schema.Find("nom")!.Constraints.MaxLength);
        Assert.Equal("2000", acteurs.Schema.Find("annee_adhesion")!.Constraints.Minimum);
    }

    [Theory]
    [InlineData("\"missingValues\": [\"\"]", "\"missingValues\": [\"\"],", "a comma after the last item: JSON allows none, remove it.")]
    [InlineData("\"fields\": [", "\"fields\": [\n    // the published fields", "a comment: JSON allows none, remove it (a field's description goes in its \"description\").")]
    public void A_json_syntax_error_is_said_in_the_authors_words_not_the_parsers(string from, string to, string expected)
    {
        // .NET's own words told a dataset author to "Change the reader options", or that '/' was
        // "invalid after a value".
        var schema = "";
        using var temp = CopyOfActeurs(yaml => yaml, original => schema = ReplaceFirst(original, from, to));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("reader options", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("invalid after a value", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"type\": \"string\"", "'type': \"string\"")] // YAML's quotes, not JSON's
    [InlineData("\"missingValues\": [\"\"]", "\"missingValues\": [\"\"],")] // a trailing comma
    public void Schema_json_is_read_as_strict_json_since_it_is_published_as_written(string from, string to)
    {
        // The old reader parsed it as YAML, so it published files no JSON reader opens.
        var schema = "";
        using var temp = CopyOfActeurs(yaml => yaml, original => schema = ReplaceFirst(original, from, to));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Matches(@"schema\.json, line \d+, column \d+: [^\n]*\(JSON stops reading here: fix this, and any other mistake in the file shows on the next run\)\.$", e.Message);
        Assert.DoesNotContain("LineNumber", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_syntax_error_is_placed_at_its_line_and_column_in_characters()
    {
        var schema = "";
        using var temp = CopyOfActeurs(yaml => yaml, original => schema = original.Replace("jamais publié.\",", "jamais publié.\";", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));

        // After "publié", System.Text.Json's byte position is one more than the column.
        Assert.Contains($"schema.json, {At(schema, ";\n      \"constraints\"")}: ';' is invalid after a value.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_field_name_is_said_once_and_not_echoed_by_the_rules_naming_it()
    {
        using var temp = CopyOfActeurs(yaml => yaml, schema => schema.Replace("\"name\": \"nom\",", "\"Name\": \"nom\",", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Contains("schema.json, line 12, column 7: fields[1].Name: unknown property 'Name' in a field: did you mean 'name'?", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pipeline.yaml", e.Message, StringComparison.Ordinal); // no "fields.nom: not a field of schema.json"
    }

    [Fact]
    public void A_missing_schema_json_is_reported_with_the_pipeline_yaml_mistakes_not_instead_of_them()
    {
        using var temp = CopyOfActeurs(yaml => yaml.Replace("  max_error_ratio:", "  max_eror_ratio:", StringComparison.Ordinal));
        File.Delete(temp.Combine("acteurs/schema.json"));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        var yaml = File.ReadAllText(temp.Combine("acteurs/pipeline.yaml"));
        Assert.Contains($"pipeline.yaml, {At(yaml, "max_eror_ratio")}: unknown key 'max_eror_ratio' in validation", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{temp.Combine("acteurs/schema.json")}: file not found (every pipeline needs its Table Schema).", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not a field of schema.json", e.Message, StringComparison.Ordinal); // no echo of the missing file

        // A YAML structure error, which stops pipeline.yaml's reading, does not hide schema.json's mistakes either.
        temp.File("acteurs/schema.json", File.ReadAllText(Path.Combine(Repo.Pipelines, "acteurs", "schema.json")).Replace("\"type\": \"boolean\"", "\"type\": \"bool\"", StringComparison.Ordinal));
        temp.File("acteurs/pipeline.yaml", File.ReadAllText(Path.Combine(Repo.Pipelines, "acteurs", "pipeline.yaml")).Replace("  formula_cells: reject ", "  formula_cells: 'reject ", StringComparison.Ordinal));
        e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Contains("(YAML stops reading here", e.Message, StringComparison.Ordinal);
        Assert.Contains("schema.json, line 55, column 15: fields[7].type (field 'specialise_automobile'): 'bool' is not a Table Schema type", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"maximum\": 2100", "\"maximum\": 1e400", "1e400", "fields[4].constraints.maximum (field 'annee_adhesion'): '1e400' is not an integer.")]
    [InlineData("\"maximum\": 2100", "\"maximum\": true", "true }", "fields[4].constraints.maximum (field 'annee_adhesion'): this property takes an integer, not true.")]
    public void A_type_name_in_a_schema_json_message_has_its_article(string from, string to, string at, string expected)
    {
        var schema = "";
        using var temp = CopyOfActeurs(yaml => yaml, original => schema = original
            .Replace("\"type\": \"year\"", "\"type\": \"integer\"", StringComparison.Ordinal)
            .Replace(from, to, StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Contains($"{At(schema, at)}: {expected}", e.Message, StringComparison.Ordinal);
    }

    private static string ReplaceFirst(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{from}' is not in the file");
        return string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
    }

    private static TempFolder CopyOfActeurs(Func<string, string> editYaml, Func<string, string> editSchema)
    {
        var temp = CopyOfActeurs(editYaml);
        temp.File("acteurs/schema.json", editSchema(File.ReadAllText(Path.Combine(Repo.Pipelines, "acteurs", "schema.json"))));
        return temp;
    }
}
