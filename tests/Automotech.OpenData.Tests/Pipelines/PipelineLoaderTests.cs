using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Tests.Pipelines;

public partial class PipelineLoaderTests
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
        Assert.Contains("unknown key 'max_eror_ratio' in validation: did you mean 'max_error_ratio'? (validation takes max_error_ratio, formula_cells, row_checks", e.Message, StringComparison.Ordinal);
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
    public void Every_mistake_of_a_file_is_reported_in_one_run_each_at_its_line_and_column()
    {
        // Independent mistakes of every kind: two misspelt keys, two values of the wrong type, an
        // unknown check, a rule naming no source field. The deserializer alone stops at the first.
        var yaml = "";
        using var temp = CopyOfActeurs(original => yaml = original
            .Replace("  update_frequency:", "  update_frequncy:", StringComparison.Ordinal)
            .Replace("  formula_cells: reject", "  formula_cell: reject", StringComparison.Ordinal)
            .Replace("    k: 3\n", "    k: trois\n", StringComparison.Ordinal)
            .Replace("max_km: 15", "max_km: [15]", StringComparison.Ordinal)
            .Replace("checks: [siret]", "checks: [sirett]", StringComparison.Ordinal)
            .Replace("{ from: type_acteur }", "{ from: type_actor }", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));

        Assert.StartsWith($"{Path.Combine(temp.Combine("acteurs"), "pipeline.yaml")}: 7 problem(s) in the pipeline definition:", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{At(yaml, "update_frequncy")}: unknown key 'update_frequncy' in metadata: did you mean 'update_frequency'?", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{At(yaml, "[15]")}: validation.row_checks.max_km: this key takes a number, not a list.", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{At(yaml, "formula_cell:")}: unknown key 'formula_cell' in validation: did you mean 'formula_cells'?", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{At(yaml, "trois")}: anonymisation.k_anonymity.k: 'trois' is not a value this key takes (a whole number).", e.Message, StringComparison.Ordinal);
        Assert.Contains("source.schema: field 'siret' has unknown check 'sirett'", e.Message, StringComparison.Ordinal);
        Assert.Contains("fields.type_acteur: 'from: type_actor' is not a source field.", e.Message, StringComparison.Ordinal);
        Assert.Contains("source field 'type_acteur' is neither used by a field rule nor listed in anonymisation.drop.", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_section_skips_the_checks_that_read_it_and_runs_the_others()
    {
        // Without source.schema every rule's 'from' would be "not a source field": those echoes are left out.
        using var temp = CopyOfActeurs(yaml => yaml
            .Replace("  schema:\n    primaryKey", "  shema:\n    primaryKey", StringComparison.Ordinal)
            .Replace("transform: naf_label", "transform: naf_labl", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Contains(": 2 problem(s) in the pipeline definition:", e.Message, StringComparison.Ordinal);
        Assert.Contains("unknown key 'shema' in source: did you mean 'schema'?", e.Message, StringComparison.Ordinal);
        Assert.Contains("fields.libelle_naf: unknown transform 'naf_labl'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_without_a_value_is_a_mistake_named_with_its_line()
    {
        var yaml = "";
        using var temp = CopyOfActeurs(original => yaml = original.Replace("  encoding: auto ", "  encoding: ", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.EndsWith($"pipeline.yaml, {At(yaml, "encoding:")}: source.encoding has no value: give it text, or remove the line to keep the default.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  formula_cells: reject ", "  formula_cells: 'reject ", "")] // an unclosed quote
    [InlineData("  delimiter: auto ", "  delimiter: auto\n  delimiter: ; ", "key 'delimiter' is given twice in this section: keep one")]
    public void A_yaml_structure_error_is_reported_alone_saying_reading_stopped_there(string from, string to, string expected)
    {
        // A misspelt key before it is not reported: past a structure error the file is not read at all.
        using var temp = CopyOfActeurs(yaml => yaml
            .Replace("  update_frequency:", "  update_frequncy:", StringComparison.Ordinal)
            .Replace(from, to, StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Matches(@"^\S*pipeline\.yaml, line \d+, column \d+: [^\n]*\(YAML stops reading here: fix this, and any other mistake in the file shows on the next run\)\.$", e.Message);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  title: Acteurs", "\ttitle: Acteurs")] // the first key of a section
    [InlineData("  max_error_ratio: 0.05", "\tmax_error_ratio: 0.05")] // a key deep in the file
    public void A_tab_used_as_indentation_is_named_at_its_own_line(string from, string to)
    {
        // An editor set to tabs is the newcomer's commonest YAML mistake; the message must point at the
        // tab, not at the start of the section (line 1 when it is the first key under metadata).
        var yaml = "";
        using var temp = CopyOfActeurs(original => yaml = original.Replace(from, to, StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Contains($"pipeline.yaml, {At(yaml, to)}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("tab", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("specialise_automobile: \"true\" }", "specialise_automobile: oui }", "metadata.key_figures.adherents-specialises: where specialise_automobile: 'oui' can never match: the published boolean field 'specialise_automobile' reads true or false (write \"true\").")]
    [InlineData("where: { statut_adhesion: prospect }", "where: { statut_adhesion: Prospect }", "metadata.key_figures.prospects: where statut_adhesion: 'Prospect' can never match: it is not one of the field's enum values (adherent, prospect).")]
    public void A_key_figure_whose_condition_can_never_match_is_an_error_not_a_published_zero(string from, string to, string expected)
    {
        // The figure was published as 0, with exit 0: "oui" is how the source writes it, not how
        // the published boolean reads; an enum value in another case matches nothing either.
        using var temp = CopyOfActeurs(yaml => yaml.Replace(from, to, StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_figures_without_a_CSV_output_are_an_error_not_an_internal_one_at_the_site()
    {
        // Pages count key figures in the version's CSV: acteurs published as Parquet only stopped,
        // after validating and writing every row, with "internal error (IndexOutOfRangeException)".
        using var temp = CopyOfActeurs(yaml => yaml.Replace("formats: [csv, parquet, geojson]", "formats: [parquet, geojson]", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Contains("metadata.key_figures: key figures are counted in the published CSV, so outputs.formats must include csv (it is parquet, geojson).", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pipeline.yml")] // the other usual extension
    [InlineData("Pipeline.yaml")] // a capital, from a case-insensitive file system
    [InlineData("pipeline.yaml.txt")] // a Windows editor's hidden extension
    [InlineData(null)] // schema.json alone: the definition forgotten
    public void A_dataset_folder_whose_definition_is_misnamed_is_an_error_not_skipped(string? misnamed)
    {
        // The folder was skipped without a word, and the run published the other datasets with
        // exit 0: the author's new dataset never appeared, and nothing said why.
        using var temp = CopyOfActeurs(yaml => yaml);
        temp.File("formations/schema.json", "{ \"fields\": [] }");
        if (misnamed is not null)
        {
            temp.File($"formations/{misnamed}", "id: formations\n");
        }

        temp.File("notes/lisez-moi.txt", "a folder that is no dataset stays ignored");
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.LoadAll(temp.Path));
        Assert.Contains($"{temp.Combine("formations")}: no pipeline.yaml", e.Message, StringComparison.Ordinal);
        Assert.Contains(misnamed ?? "schema.json", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("notes", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("01/01/2007")]
    [InlineData("2007")]
    [InlineData("2007-13-01")]
    public void A_temporal_start_that_is_not_an_iso_date_is_an_error_not_an_invalid_xsd_date(string start)
    {
        // It was published as is, typed xsd:date in catalog.jsonld ("01/01/2007"), which harvesters refuse.
        using var temp = CopyOfActeurs(yaml => yaml.Replace("temporal_start: \"2007-01-01\"", $"temporal_start: \"{start}\"", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Contains($"metadata.temporal_start: '{start}' is not a date written AAAA-MM-JJ (ISO 8601, such as 2007-01-01).", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<b>acteurs</b>")]
    [InlineData("Établissements par département, hors sièges")]
    [InlineData("")]
    public void A_row_label_that_is_not_a_plural_noun_is_an_error(string label)
    {
        // Written into the charts' titles and the map's caption ("nombre d'… par département").
        using var temp = CopyOfActeurs(yaml => yaml.Replace("row_label: acteurs", $"row_label: '{label}'", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Contains($"metadata.row_label: '{label}' should be what one row is, as a French plural noun of at most 40 letters", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hebdo")]
    [InlineData("tous les lundis")]
    [InlineData("weekly, on Mondays")]
    public void An_update_frequency_the_catalogue_cannot_name_is_an_error_not_a_frequency_left_out(string frequency)
    {
        // It was published on the pages and in datapackage.json, and left out of catalog.jsonld
        // without a word: harvesters (data.gouv.fr among them) then show the frequency as unknown.
        using var temp = CopyOfActeurs(yaml => yaml.Replace("update_frequency: hebdomadaire", $"update_frequency: {frequency}", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Contains($"metadata.update_frequency: '{frequency}' is not a frequency of the EU vocabulary that catalog.jsonld names (", e.Message, StringComparison.Ordinal);
        Assert.Contains("hebdomadaire", e.Message[e.Message.IndexOf("metadata.update_frequency", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[TRANSPORT]", "TRANSPORT")]
    [InlineData("[ECON, ECO]", "ECO")]
    [InlineData("[OP_DATPRO]", "OP_DATPRO")]
    public void A_theme_outside_the_EU_data_theme_vocabulary_is_refused_naming_the_file_the_key_and_the_codes(string themes, string wrong)
    {
        // Every dataset was classed ECON in catalog.jsonld whatever it held; a theme is now declared,
        // and a code no harvester knows would be a theme left out (or a dangling concept) there.
        using var temp = CopyOfActeurs(yaml => yaml.Replace("  themes: [ECON, REGI]\n", $"  themes: {themes}\n", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Contains(Path.Combine(temp.Combine("acteurs"), "pipeline.yaml"), e.Message, StringComparison.Ordinal);
        var message = e.Message[e.Message.IndexOf("metadata.themes", StringComparison.Ordinal)..];
        Assert.StartsWith($"metadata.themes: '{wrong}' is not a theme of the EU data-theme vocabulary that catalog.jsonld names (accepted, in any case: ", message, StringComparison.Ordinal);
        foreach (var code in new[] { "AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI", "SOCI", "TECH", "TRAN" })
        {
            Assert.Contains(code + " (", message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("[\"75\"]", "75")]
    [InlineData("[\"31\", \"9\"]", "9")]
    [InlineData("[Haute-Garonne]", "Haute-Garonne")]
    public void A_spatial_departement_outside_the_region_is_refused_naming_the_key_and_the_codes(string departements, string wrong)
    {
        using var temp = CopyOfActeurs(yaml => yaml.Replace("update_frequency: hebdomadaire\n", $"update_frequency: hebdomadaire\n  spatial_departements: {departements}\n", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Contains(Path.Combine(temp.Combine("acteurs"), "pipeline.yaml"), e.Message, StringComparison.Ordinal);
        var message = e.Message[e.Message.IndexOf("metadata.spatial_departements", StringComparison.Ordinal)..];
        Assert.StartsWith($"metadata.spatial_departements: '{wrong}' is not the code of a département of Occitanie", message, StringComparison.Ordinal);
        Assert.Contains("09 (Ariège), 11 (Aude), 12 (Aveyron), 30 (Gard), 31 (Haute-Garonne)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Themes_and_departements_are_read_in_any_case_and_an_empty_list_is_refused()
    {
        using (var temp = CopyOfActeurs(yaml => yaml.Replace("  themes: [ECON, REGI]\n", "  themes: [tran, ECON]\n  spatial_departements: [\"31\", \"81\"]\n", StringComparison.Ordinal)))
        {
            // Read, not refused (what the catalogue makes of them: NewDatasetTests).
            var definition = PipelineLoader.Load(temp.Combine("acteurs"));
            Assert.Equal("acteurs", definition.Id);
            Assert.Equal(["TRAN", "ECON"], DataThemes.Normalise(definition.Metadata.Themes));
        }

        using (var temp = CopyOfActeurs(yaml => yaml.Replace("  themes: [ECON, REGI]\n", "  themes: []\n  spatial_departements: []\n", StringComparison.Ordinal)))
        {
            var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
            Assert.Contains("metadata.themes: the list is empty", e.Message, StringComparison.Ordinal);
            Assert.Contains("metadata.spatial_departements: the list is empty", e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Hebdomadaire", "WEEKLY")]
    [InlineData("trimestrielle", "QUARTERLY")]
    [InlineData("semestrielle", "BIANNUAL")]
    [InlineData("irreguliere", "IRREG")]
    public void Every_update_frequency_the_loader_accepts_is_named_in_the_catalogue(string frequency, string code)
    {
        using var temp = CopyOfActeurs(yaml => yaml.Replace("update_frequency: hebdomadaire", $"update_frequency: {frequency}", StringComparison.Ordinal));
        Assert.Equal(frequency, PipelineLoader.Load(temp.Combine("acteurs")).Metadata.UpdateFrequency);
        Assert.Equal(code, UpdateFrequency.EuCode(frequency));
    }

    [Theory]
    [InlineData("url: https://www.etalab.gouv.fr/licence-ouverte-open-licence/", "url: www.etalab.gouv.fr/licence-ouverte-open-licence/", "metadata.licence.url: 'www.etalab.gouv.fr/licence-ouverte-open-licence/' is not a web address (http:// or https://)")]
    [InlineData("url: https://automotech.example", "url: automotech.example", "metadata.publisher.url: 'automotech.example' is not a web address (http:// or https://)")]
    [InlineData("email: opendata@automotech.example", "email: opendata chez automotech", "metadata.contact.email: 'opendata chez automotech' is not an e-mail address")]
    public void Metadata_links_that_are_not_absolute_are_errors_not_broken_links(string from, string to, string expected)
    {
        // Published as they were: a relative link on every page (a 404 under the dataset's
        // folder), a relative @id and "mailto:opendata chez automotech" in catalog.jsonld.
        using var temp = CopyOfActeurs(yaml => yaml.Replace(from, to, StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(temp.Combine("acteurs")));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_mistakes_of_every_dataset_folder_are_reported_in_one_run()
    {
        using var temp = CopyOfActeurs(yaml => yaml.Replace("  max_error_ratio:", "  max_eror_ratio:", StringComparison.Ordinal));
        var sirene = Path.Combine(Repo.Pipelines, "sirene-automobile");
        temp.File("sirene-automobile/schema.json", File.ReadAllText(Path.Combine(sirene, "schema.json")));
        temp.File("sirene-automobile/pipeline.yaml", File.ReadAllText(Path.Combine(sirene, "pipeline.yaml")).Replace("45.20B,", "45.20C,", StringComparison.Ordinal));
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.LoadAll(temp.Path));
        Assert.Contains($"{Path.Combine(temp.Combine("acteurs"), "pipeline.yaml")}, line ", e.Message, StringComparison.Ordinal);
        Assert.Contains("unknown key 'max_eror_ratio' in validation", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(temp.Combine("sirene-automobile"), "pipeline.yaml")}: 1 problem(s) in the pipeline definition:", e.Message, StringComparison.Ordinal);
        Assert.Contains("source.filter.naf: '45.20C' is neither a NAF rev. 2 sub-class", e.Message, StringComparison.Ordinal);
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

    /// <summary>
    /// The home page shows every key figure read from a column (an aggregate's), each at
    /// <c>#chiffre-&lt;id&gt;</c>: two datasets with one such id gave the page two elements with one
    /// id, and a link to the figure found the first only. Counted figures are on their dataset's
    /// page alone, so theirs may repeat another dataset's.
    /// </summary>
    [Fact]
    public void Two_datasets_showing_a_figure_of_one_id_on_the_home_page_are_refused_at_load()
    {
        using var temp = CopyOfActeurs(yaml => yaml);
        var chiffres = Path.Combine(Repo.Pipelines, "chiffres-cles");
        var yaml = File.ReadAllText(Path.Combine(chiffres, "pipeline.yaml"));
        foreach (var id in new[] { "chiffres-cles", "chiffres-cles-bis" })
        {
            temp.File($"{id}/schema.json", File.ReadAllText(Path.Combine(chiffres, "schema.json")));
            temp.File($"{id}/pipeline.yaml", yaml.Replace("id: chiffres-cles", $"id: {id}", StringComparison.Ordinal));
        }

        var e = Assert.Throws<PipelineException>(() => PipelineLoader.LoadAll(temp.Path));
        Assert.Contains("metadata.key_figures: id 'effectif' is read from a column by chiffres-cles and chiffres-cles-bis: the home page shows each such figure at #chiffre-effectif, so one id would name two figures there; give each its own id.", e.Message, StringComparison.Ordinal);
        Assert.Contains("id 'chiffre-affaires' is read from a column by chiffres-cles and chiffres-cles-bis", e.Message, StringComparison.Ordinal);

        // Renamed in the second: both load. The acteurs' counted figure 'adherents' shares an id
        // with chiffres-cles' one read from a column; each is on its own dataset's page, so it stays.
        temp.File("chiffres-cles-bis/pipeline.yaml", yaml.Replace("id: chiffres-cles", "id: chiffres-cles-bis", StringComparison.Ordinal)
            .Replace("id: adherents,", "id: bis-adherents,", StringComparison.Ordinal)
            .Replace("id: adherents-specialises,", "id: bis-adherents-specialises,", StringComparison.Ordinal)
            .Replace("id: effectif,", "id: bis-effectif,", StringComparison.Ordinal)
            .Replace("id: chiffre-affaires,", "id: bis-chiffre-affaires,", StringComparison.Ordinal));
        Assert.Equal(["acteurs", "chiffres-cles", "chiffres-cles-bis"], PipelineLoader.LoadAll(temp.Path).Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// A derived table's formula policy decides how its CSV treats a label that a spreadsheet
    /// would run: a misspelt one, checked nowhere, used to mean neither reject nor neutralise.
    /// </summary>
    [Fact]
    public void A_derived_dataset_formula_policy_is_checked_like_any_other()
    {
        using var temp = CopyOfActeurs(yaml => yaml);
        var chiffres = Path.Combine(Repo.Pipelines, "chiffres-cles");
        temp.File("chiffres-cles/schema.json", File.ReadAllText(Path.Combine(chiffres, "schema.json")));
        temp.File("chiffres-cles/pipeline.yaml", File.ReadAllText(Path.Combine(chiffres, "pipeline.yaml")) + "\nvalidation:\n  formula_cells: neutralize\n");

        var e = Assert.Throws<PipelineException>(() => PipelineLoader.LoadAll(temp.Path));

        Assert.Contains("validation.formula_cells must be reject or neutralise, not 'neutralize'.", e.Message, StringComparison.Ordinal);
    }

    /// <summary>"line L, column C" of the first occurrence of <paramref name="what"/> in <paramref name="text"/>.</summary>
    private static string At(string text, string what)
    {
        var before = text[..text.IndexOf(what, StringComparison.Ordinal)];
        return $"line {before.Count(c => c == '\n') + 1}, column {before.Length - before.LastIndexOf('\n')}";
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
