namespace Automotech.OpenData.Tests.Sources;

/// <summary>
/// The malformed and tricky inputs of TestData/corpus (written by make_corpus.py from fictional
/// demo rows), each read and validated by the real acteurs pipeline: the exact error type, source
/// line and field, and that every other row is kept.
/// </summary>
public class CorpusTests
{
    [Theory]
    // Row structure
    [InlineData("blank_row.csv", "blank-row", 3, null)]
    [InlineData("missing_cell.csv", "missing-cell", 3, null)]
    [InlineData("extra_cell.csv", "extra-cell", 3, null)]
    [InlineData("duplicate_row.csv", "duplicate-row", 3, null)]
    // Types and constraints
    [InlineData("type_error_effectif_not_integer.csv", "type-error", 3, "effectif")]
    [InlineData("type_error_date_french_format.csv", "type-error", 3, "date_maj")]
    [InlineData("date_adhesion_impossible_day.csv", "type-error", 3, "date_adhesion")]
    [InlineData("constraint_required_raison_sociale_empty.csv", "constraint-error", 3, "raison_sociale")]
    [InlineData("constraint_enum_type_acteur.csv", "constraint-error", 3, "type_acteur")]
    [InlineData("constraint_pattern_code_postal.csv", "constraint-error", 3, "code_postal")]
    [InlineData("constraint_minimum_negative_effectif.csv", "constraint-error", 3, "effectif")]
    [InlineData("constraint_maxlength_raison_sociale.csv", "constraint-error", 3, "raison_sociale")]
    [InlineData("constraint_maximum_latitude_paris.csv", "constraint-error", 3, "latitude")]
    [InlineData("primary_key_duplicate_siret.csv", "primary-key", 3, "siret")]
    [InlineData("limits_field_too_long.csv", "constraint-error", 3, "description")]
    // French business checks
    [InlineData("siret_bad_luhn.csv", "siret-error", 3, "siret")]
    [InlineData("siret_thirteen_digits.csv", "siret-error", 3, "siret")]
    [InlineData("naf_unknown_code.csv", "naf-error", 3, "code_naf")]
    [InlineData("commune_outside_occitanie.csv", "commune-error", 3, "code_commune")]
    [InlineData("commune_malformed.csv", "commune-error", 3, "code_commune")]
    [InlineData("postcode_unknown.csv", "postcode-error", 3, "code_postal")]
    [InlineData("postcode_other_departement.csv", "postcode-error", 3, "code_postal")]
    [InlineData("position_far_from_commune.csv", "position-error", 3, "latitude,longitude")]
    [InlineData("url_malformed_site_web.csv", "format-error", 3, "site_web")]
    [InlineData("date_in_the_future.csv", "date-error", 3, "date_maj")]
    // Spreadsheet safety, checked on the published values
    [InlineData("formula_injection_in_description.csv", "csv-injection", 3, "description")]
    [InlineData("formula_injection_at_sign_in_name.csv", "csv-injection", 3, "nom")]
    // The line counts the embedded line break of the row before; the mixed line endings too.
    [InlineData("quoted_delimiters_quotes_line_breaks.csv", "siret-error", 5, "siret")]
    [InlineData("mixed_crlf_lf_line_endings.csv", "type-error", 4, "effectif")]
    public async Task One_bad_row_is_rejected_with_its_type_line_and_field(string file, string type, long line, string? field)
    {
        var result = await Corpus.ValidateAsync(file);
        Assert.Null(result.FatalError);
        var error = Assert.Single(result.Errors);
        Assert.Equal((type, line, field), (error.Type, error.LineNumber, error.FieldName));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Equal(result.RowsRead - 1, result.RowsKept);
    }

    [Fact]
    public async Task Invalid_bytes_in_a_utf8_file_are_an_encoding_error_on_their_line_not_mojibake()
    {
        var result = await Corpus.ValidateAsync("encoding_error_invalid_utf8_line_3.csv", yaml => yaml.Replace("encoding: auto", "encoding: utf-8", StringComparison.Ordinal));
        var error = Assert.Single(result.Errors);
        Assert.Equal(("encoding-error", 3L), (error.Type, error.LineNumber));
        Assert.Equal(2, result.RowsKept);
    }

    [Fact]
    public async Task The_same_bytes_with_auto_detection_are_still_utf8_with_an_encoding_error_on_line_3()
    {
        // One stray byte among the file's many UTF-8 accents: reading the whole file as
        // Windows-1252 would turn every other row's "é" into "Ã©" and publish it without a word.
        var result = await Corpus.ValidateAsync("encoding_error_invalid_utf8_line_3.csv");
        var error = Assert.Single(result.Errors);
        Assert.Equal(("encoding-error", 3L), (error.Type, error.LineNumber));
        Assert.Equal(2, result.RowsKept);
    }

    [Theory]
    [InlineData("extra_label_unknown_column.csv", "extra-label", 1, "colonne n° 30")]
    [InlineData("blank_header_column.csv", "blank-header", 1, null)]
    [InlineData("missing_label_optional_description.csv", "missing-label", 1, "description")]
    [InlineData("postcode_other_commune_same_departement_warning.csv", "postcode-error", 3, "code_postal")]
    [InlineData("email_malformed_warning.csv", "format-error", 3, "contact_email")]
    [InlineData("phone_malformed_warning.csv", "format-error", 3, "contact_telephone")]
    public async Task A_warning_is_reported_and_every_row_is_kept(string file, string type, long line, string? field)
    {
        var result = await Corpus.ValidateAsync(file);
        Assert.Null(result.FatalError);
        Assert.Empty(result.Errors);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((type, line, field, true), (warning.Type, warning.LineNumber, warning.FieldName, warning.IsWarning));
        Assert.Equal(3, result.RowsKept);
    }

    [Theory]
    [InlineData("missing_label_required_siret.csv", "missing-label: required column 'siret' is missing")]
    [InlineData("duplicate_label_two_siret_columns.csv", "duplicate-label: several columns name one field (siret")]
    [InlineData("title_line_above_header.csv", "names a field of the schema, so this is not the header row")]
    public async Task A_header_that_loses_a_required_field_stops_the_run_with_a_clear_error(string file, string expected)
    {
        var result = await Corpus.ValidateAsync(file);
        Assert.NotNull(result.FatalError);
        Assert.Contains(expected, result.FatalError, StringComparison.Ordinal);
        Assert.Contains($"{file}, line 1 (header)", result.FatalError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("utf8_with_bom.csv")]
    [InlineData("windows1252_excel_semicolon.csv")]
    [InlineData("iso88591_accents.csv")]
    [InlineData("semicolon_delimited.csv")]
    [InlineData("tab_delimited.tsv")]
    [InlineData("trailing_blank_lines.csv")]
    [InlineData("renamed_headers_case_accents_punctuation.csv")]
    [InlineData("alias_header_denomination.csv")]
    [InlineData("siret_spaces_and_dots_accepted.csv")]
    [InlineData("siret_la_poste_exception_accepted.csv")]
    [InlineData("naf_without_dot_normalised.csv")]
    public async Task Tricky_but_valid_input_is_read_whole(string file)
    {
        var result = await Corpus.ValidateAsync(file);
        Assert.Null(result.FatalError);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        Assert.Equal((3L, 3L), (result.RowsRead, result.RowsKept));
    }

    [Fact]
    public void The_corpus_has_at_least_thirty_files_and_each_is_tested()
    {
        var files = Directory.EnumerateFiles(Path.GetDirectoryName(Corpus.PathOf("x"))!)
            .Select(Path.GetFileName)
            .Where(f => f is not null && !f.EndsWith(".py", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count >= 30, $"{files.Count} files");
        var source = File.ReadAllText(Path.Combine(Repo.Root, "tests", "Automotech.OpenData.Tests", "Sources", "CorpusTests.cs"));
        Assert.All(files, f => Assert.Contains($"\"{f}\"", source, StringComparison.Ordinal));
    }
}
