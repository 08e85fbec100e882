using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Tests.Validation;

public class RecordValidatorTests
{
    private static readonly TableSchema Schema = new()
    {
        Fields =
        [
            new SchemaField { Name = "id", Type = "string", Constraints = new FieldConstraints { Required = true, Pattern = "[A-Z]{2}[0-9]+" } },
            new SchemaField { Name = "n", Type = "integer", Constraints = new FieldConstraints { Minimum = "0", Maximum = "100" } },
            new SchemaField { Name = "kind", Type = "string", Constraints = new FieldConstraints { Enum = ["a", "b"] } },
            new SchemaField { Name = "ok", Type = "boolean" },
            new SchemaField { Name = "day", Type = "date" },
        ],
        PrimaryKey = ["id"],
    };

    private static readonly string[] Fields = ["id", "n", "kind", "ok", "day"];

    [Fact]
    public void Valid_rows_are_kept_in_canonical_form()
    {
        var batch = Batches.Of(Fields, ["AB1", " 42 ", "a", "oui", "2026-01-31"]);
        var rejects = new RejectList();
        new RecordValidator(Schema, Fields).Validate(batch, rejects);
        Assert.Empty(rejects.Rows);
        Assert.Equal(1, batch.Count);
        Assert.Equal("42", batch.Get(0, 1));
        Assert.Equal("true", batch.Get(0, 3));
    }

    [Theory]
    [InlineData(new[] { "", "1", "a", "", "" }, "constraint-error", "required", "id")]
    [InlineData(new[] { "ab1", "1", "a", "", "" }, "constraint-error", "pattern", "id")]
    [InlineData(new[] { "AB1", "x", "a", "", "" }, "type-error", "integer", "n")]
    [InlineData(new[] { "AB1", "101", "a", "", "" }, "constraint-error", "maximum", "n")]
    [InlineData(new[] { "AB1", "-1", "a", "", "" }, "constraint-error", "minimum", "n")]
    [InlineData(new[] { "AB1", "1", "c", "", "" }, "constraint-error", "enum", "kind")]
    [InlineData(new[] { "AB1", "1", "a", "peut-être", "" }, "type-error", "boolean", "ok")]
    [InlineData(new[] { "AB1", "1", "a", "", "31/01/2026" }, "type-error", "date", "day")]
    public void Each_broken_rule_is_named_with_line_and_field(string[] row, string type, string rule, string field)
    {
        var batch = Batches.Of(Fields, row);
        var rejects = new RejectList();
        new RecordValidator(Schema, Fields).Validate(batch, rejects);
        var error = Assert.Single(rejects.Errors);
        Assert.Equal((type, rule, field, 2L), (error.Type, error.Rule, error.FieldName, error.LineNumber));
        Assert.Equal(0, batch.Count);
    }

    [Theory]
    [InlineData(new[] { "AB1", "1", "a", "", "01/09/2025" }, "« day » n'est pas du type date : une date s'écrit AAAA-MM-JJ (ISO 8601, 2025-09-01)")]
    [InlineData(new[] { "AB1", "1 000", "a", "", "" }, "« n » n'est pas du type integer : un nombre entier s'écrit en chiffres, sans espace ni séparateur")]
    [InlineData(new[] { "AB1", "1", "a", "peut-être", "" }, "« ok » n'est pas du type boolean : valeurs acceptées true, True, TRUE, 1, oui, Oui, OUI ou false, False, FALSE, 0, non, Non, NON")]
    [InlineData(new[] { "AB1", "1", "A", "", "" }, "« kind » ne fait pas partie des valeurs autorisées (a, b ; la casse compte)")]
    public void A_type_or_enum_error_says_what_the_field_expects_without_the_value(string[] row, string expected)
    {
        // A dataset author's 01/09/2025 was told only "n'est pas du type date", and "Initiale"
        // only that it was not allowed: nothing said what to write instead.
        var batch = Batches.Of(Fields, row);
        var rejects = new RejectList();
        new RecordValidator(Schema, Fields).Validate(batch, rejects);
        Assert.Equal(expected, Assert.Single(rejects.Errors).Message);
    }

    [Fact]
    public void Every_error_of_a_row_is_reported_not_only_the_first()
    {
        var batch = Batches.Of(Fields, ["", "x", "c", "", ""]);
        var rejects = new RejectList();
        new RecordValidator(Schema, Fields).Validate(batch, rejects);
        Assert.Equal(["id", "n", "kind"], rejects.Errors.Select(e => e.FieldName));
    }

    [Fact]
    public void Duplicate_primary_key_rejects_the_later_row_across_batches()
    {
        var validator = new RecordValidator(Schema, Fields);
        var rejects = new RejectList();
        var first = Batches.Of(Fields, ["AB1", "1", "a", "", ""]);
        validator.Validate(first, rejects);
        var second = Batches.Of(Fields, ["AB2", "1", "a", "", ""], ["AB1", "2", "b", "", ""]);
        validator.Validate(second, rejects);
        var error = Assert.Single(rejects.Errors);
        Assert.Equal("primary-key", error.Type);
        Assert.Equal(3, error.LineNumber);
        Assert.Equal(["AB2"], Enumerable.Range(0, second.Count).Select(r => second.Get(r, 0)));
    }

    [Fact]
    public void A_rejected_first_occurrence_does_not_block_a_valid_later_one()
    {
        var rejects = new RejectList();
        var batch = Batches.Of(Fields, ["AB1", "x", "a", "", ""], ["AB1", "1", "a", "", ""]);
        new RecordValidator(Schema, Fields).Validate(batch, rejects);
        Assert.Equal("type-error", Assert.Single(rejects.Errors).Type);
        Assert.Equal(1, batch.Count);
    }

    [Fact]
    public void Rejected_rows_keep_their_source_values_for_the_quarantine()
    {
        var rejects = new RejectList();
        new RecordValidator(Schema, Fields).Validate(Batches.Of(Fields, ["AB1", "x", "a", "", ""]), rejects);
        Assert.Equal(["AB1", "x", "a", "", ""], Assert.Single(rejects.Rows).Values);
    }

    [Fact]
    public void Rows_rejected_after_their_cells_passed_keep_their_source_text()
    {
        // The cells are rewritten in canonical form before duplicates and keys are looked at:
        // a row rejected then must reach the quarantine as the source wrote it.
        var rejects = new RejectList();
        var batch = Batches.Of(
            Fields,
            ["AB1", " 7 ", "a", "oui", "2026-01-31"],
            ["AB1", " 8 ", "b", "non", ""],
            ["AB2", "9", "a", "oui", ""],
            ["AB2", "9", "a", "oui", ""]);
        new RecordValidator(Schema, Fields, new ValidatorOptions { CheckRows = true }).Validate(batch, rejects);
        Assert.Equal(["primary-key", "duplicate-row"], rejects.Errors.Select(e => e.Type));
        Assert.Equal(["AB1", " 8 ", "b", "non", ""], rejects.Rows[0].Values);
        Assert.Equal(["AB2", "9", "a", "oui", ""], rejects.Rows[1].Values);
        Assert.Equal(2, batch.Count);
        Assert.Equal(("7", "true"), (batch.Get(0, 1), batch.Get(0, 3)));
        Assert.Equal(("9", "true", (string?)null), (batch.Get(1, 1), batch.Get(1, 3), batch.Get(1, 4)));
    }

    [Fact]
    public void Each_batch_loses_only_its_own_rejected_rows()
    {
        // The validator keeps its per-row state from batch to batch: a rejection at the end of
        // one batch must not remove a row of the next.
        var validator = new RecordValidator(Schema, Fields);
        var rejects = new RejectList();
        var first = Batches.Of(Fields, ["AB1", "1", "a", "", ""], ["AB2", "1", "a", "", ""], ["AB3", "x", "a", "", ""]);
        validator.Validate(first, rejects);
        var second = Batches.Of(Fields, ["AB4", "x", "a", "", ""], ["AB5", "1", "a", "", ""], ["AB6", "1", "a", "", ""]);
        validator.Validate(second, rejects);
        Assert.Equal(["AB1", "AB2"], Enumerable.Range(0, first.Count).Select(r => first.Get(r, 0)));
        Assert.Equal(["AB5", "AB6"], Enumerable.Range(0, second.Count).Select(r => second.Get(r, 0)));
        Assert.Equal([4L, 2L], rejects.Errors.Select(e => e.LineNumber));
    }
}
