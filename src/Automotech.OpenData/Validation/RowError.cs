namespace Automotech.OpenData.Validation;

/// <summary>
/// Why a row was rejected, in the Frictionless error vocabulary (<c>type-error</c>,
/// <c>constraint-error</c>, <c>unique-error</c>, <c>primary-key</c>, <c>missing-cell</c>,
/// <c>extra-cell</c>) plus our business checks (<c>siret-error</c>, <c>naf-error</c>,
/// <c>commune-error</c>). The message is French and never quotes the value: reports built from
/// errors may be public, values of rejected rows never are.
/// </summary>
public sealed record RowError(long LineNumber, string? FieldName, string Type, string Rule, string Message);

/// <summary>A rejected row: its source line, every reason, and its source values (private).</summary>
public sealed record RejectedRow(long LineNumber, IReadOnlyList<RowError> Errors, IReadOnlyList<string?> Values);
