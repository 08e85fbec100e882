using YamlDotNet.Serialization;

namespace Automotech.OpenData;

/// <summary>
/// A Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/): the fields of a
/// table with their types and constraints, and its primary key. The published <c>schema.json</c>
/// of each dataset is one; the source columns declared in <c>pipeline.yaml</c> use the same
/// vocabulary, so one validator checks both.
/// </summary>
public sealed class TableSchema
{
    public List<SchemaField> Fields { get; init; } = [];

    [YamlMember(Alias = "primaryKey", ApplyNamingConventions = false)]
    public List<string> PrimaryKey { get; init; } = [];

    [YamlMember(Alias = "missingValues", ApplyNamingConventions = false)]
    public List<string> MissingValues { get; init; } = [""];

    public SchemaField? Find(string name) => Fields.Find(f => string.Equals(f.Name, name, StringComparison.Ordinal));

    public IReadOnlyList<string> FieldNames => Fields.ConvertAll(f => f.Name);
}

/// <summary>One field of a <see cref="TableSchema"/>.</summary>
public sealed class SchemaField
{
    public string Name { get; init; } = "";

    /// <summary>string, integer, number, boolean, date, datetime or year.</summary>
    public string Type { get; init; } = "string";

    public string? Format { get; init; }

    public string? Title { get; init; }

    public string? Description { get; init; }

    public string? Example { get; init; }

    public FieldConstraints Constraints { get; init; } = new();

    /// <summary>Source header names that also map to this field (pipeline.yaml only).</summary>
    public List<string> Aliases { get; init; } = [];

    /// <summary>Business checks beyond Table Schema (pipeline.yaml only); a failure rejects the row.</summary>
    public List<string> Checks { get; init; } = [];

    /// <summary>Checks whose failure is only reported (pipeline.yaml only): the row is kept.</summary>
    public List<string> Warnings { get; init; } = [];

    /// <summary>For boolean fields: the source spellings of true and false.</summary>
    [YamlMember(Alias = "trueValues", ApplyNamingConventions = false)]
    public List<string> TrueValues { get; init; } = ["true", "True", "TRUE", "1", "oui", "Oui", "OUI"];

    [YamlMember(Alias = "falseValues", ApplyNamingConventions = false)]
    public List<string> FalseValues { get; init; } = ["false", "False", "FALSE", "0", "non", "Non", "NON"];
}

/// <summary>The Table Schema constraints that the validator enforces.</summary>
public sealed class FieldConstraints
{
    public bool Required { get; init; }

    public bool Unique { get; init; }

    [YamlMember(Alias = "minLength", ApplyNamingConventions = false)]
    public int? MinLength { get; init; }

    [YamlMember(Alias = "maxLength", ApplyNamingConventions = false)]
    public int? MaxLength { get; init; }

    public string? Pattern { get; init; }

    public List<string>? Enum { get; init; }

    public string? Minimum { get; init; }

    public string? Maximum { get; init; }
}
