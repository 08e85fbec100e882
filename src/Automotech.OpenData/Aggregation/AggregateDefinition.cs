using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Aggregation;

/// <summary>
/// A table of totals computed from another pipeline's validated records (private values
/// included), published under the rules of statistical secret. Two dimensions (rows and
/// columns) give four levels: each cell, each row's total, each column's total, the grand total.
/// </summary>
public sealed class AggregateDefinition
{
    /// <summary>Source field → value: the records counted (for example the cluster's members).</summary>
    public Dictionary<string, string> Where { get; init; } = [];

    /// <summary>
    /// Who a contribution belongs to, for the secret rules: the records of one enterprise count
    /// as one contributor (<c>from: siret</c>, <c>length: 9</c> keeps the SIREN).
    /// </summary>
    public ContributorDefinition Contributor { get; init; } = new();

    /// <summary>The first dimension (for example the département); its totals are the "rows" level.</summary>
    public DimensionDefinition Rows { get; init; } = new();

    /// <summary>The second dimension (for example the actor type).</summary>
    public DimensionDefinition Columns { get; init; } = new();

    /// <summary>Published field holding the level of the row: its values are given by <see cref="Levels"/>.</summary>
    public string LevelField { get; init; } = "niveau";

    /// <summary>Names of the four levels, as published: cell, rows total, columns total, grand total.</summary>
    public AggregateLevels Levels { get; init; } = new();

    /// <summary>Counts of contributing records (frequencies: published as they are, see the README).</summary>
    public List<CountDefinition> Counts { get; init; } = [];

    /// <summary>Sums of a numeric source field, each with its status field; subject to the secret rules.</summary>
    public List<MagnitudeDefinition> Magnitudes { get; init; } = [];

    public SecretRules Secret { get; init; } = new();
}

public sealed class ContributorDefinition
{
    public string From { get; init; } = "";

    /// <summary>Keep this many leading characters of the value (9: SIRET → SIREN); 0 keeps it whole.</summary>
    public int Length { get; init; }
}

/// <summary>A dimension: its code from a source field (with an optional transform), and a label field.</summary>
public sealed class DimensionDefinition
{
    /// <summary>Published field holding the code.</summary>
    public string Field { get; init; } = "";

    public FieldRule Rule { get; init; } = new();

    /// <summary>Published field holding the code's label (optional).</summary>
    public string? LabelField { get; init; }

    public FieldRule? LabelRule { get; init; }
}

public sealed class AggregateLevels
{
    public string Cell { get; init; } = "cellule";

    public string RowTotal { get; init; } = "total-ligne";

    public string ColumnTotal { get; init; } = "total-colonne";

    public string GrandTotal { get; init; } = "total";
}

public sealed class CountDefinition
{
    /// <summary>Published field.</summary>
    public string Field { get; init; } = "";

    /// <summary>Source field → value: the records counted here (all when empty).</summary>
    public Dictionary<string, string> Where { get; init; } = [];
}

public sealed class MagnitudeDefinition
{
    /// <summary>Published field holding the total (empty when secret, never 0).</summary>
    public string Field { get; init; } = "";

    /// <summary>Numeric source field summed.</summary>
    public string From { get; init; } = "";

    /// <summary>Published field saying <c>publie</c>, <c>secret-primaire</c> or <c>secret-secondaire</c>.</summary>
    public string Status { get; init; } = "";
}

/// <summary>INSEE's rules for business statistics.</summary>
public sealed class SecretRules
{
    /// <summary>A magnitude cell with fewer contributors is secret (primary).</summary>
    public int MinContributors { get; init; } = 3;

    /// <summary>A magnitude cell where one contributor holds more than this share of the total is secret (primary).</summary>
    public double DominanceShare { get; init; } = 0.85;
}
