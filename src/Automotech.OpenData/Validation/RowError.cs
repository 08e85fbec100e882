namespace Automotech.OpenData.Validation;

/// <summary>
/// A problem found in the input, in the Frictionless error vocabulary (<c>blank-header</c>,
/// <c>duplicate-label</c>, <c>missing-label</c>, <c>extra-label</c>, <c>blank-row</c>,
/// <c>extra-cell</c>, <c>missing-cell</c>, <c>type-error</c>, <c>constraint-error</c>,
/// <c>unique-error</c>, <c>primary-key</c>, <c>duplicate-row</c>, <c>encoding-error</c>) plus our
/// own checks (<c>siret-error</c>, <c>naf-error</c>, <c>commune-error</c>, <c>postcode-error</c>,
/// <c>position-error</c>, <c>format-error</c>, <c>date-error</c>, <c>csv-injection</c>).
/// <see cref="LineNumber"/> is the line of the source file where the row starts (1 is the header).
/// The message is French and never quotes the value: reports built from errors may be public,
/// values of rejected rows never are. Nor does it, or <see cref="FieldName"/>, quote a header
/// that names no field (private text too): such a column is named by its position ("colonne n° 30"). A warning is reported but never rejects its row.
/// </summary>
public sealed record RowError(long LineNumber, string? FieldName, string Type, string Rule, string Message, bool IsWarning = false);

/// <summary>A rejected row: its source line, every reason, and its source values (private).</summary>
public sealed record RejectedRow(long LineNumber, IReadOnlyList<RowError> Errors, IReadOnlyList<string?> Values);

/// <summary>Receives rejected rows and warnings (the quarantine, or a list in tests).</summary>
public interface IRejectedRowSink
{
    void Reject(RejectedRow row);

    void Warn(RowError warning);
}
