using System.Text.Json;
using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Sources;

/// <summary>
/// Maps the properties of a JSON record to the declared source fields, by name or alias with the
/// rules of <see cref="HeaderMatcher"/> ("Raison sociale", "raisonSociale" and "raison_sociale"
/// name one field). Strings stay as they are, numbers keep their JSON text, booleans become
/// true/false, null is missing. A nested object or array in a declared field rejects the record,
/// unless <c>nested: flatten</c>: then <c>{"adresse": {"ville": …}}</c> is the property
/// <c>adresse.ville</c> (field <c>adresse_ville</c>) and an array of plain values is one text,
/// joined with <c>|</c>.
/// </summary>
internal sealed class JsonRecordMapper
{
    /// <summary>Distinct property names remembered (and unknown ones reported); more are still mapped, uncached.</summary>
    private const int MaxNames = 10_000;
    private const int MaxUnknownReported = 100;

    private readonly TableSchema schema;
    private readonly bool flatten;
    private readonly Dictionary<string, int> fieldOfKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> fieldOfName = new(StringComparer.Ordinal);
    private readonly HashSet<string> unknownReported = new(StringComparer.Ordinal);
    private readonly string?[] setBy;
    private readonly List<RowError> errors = [];

    public JsonRecordMapper(TableSchema schema, bool flatten)
    {
        this.schema = schema;
        this.flatten = flatten;
        setBy = new string?[schema.Fields.Count];
        Seen = new bool[schema.Fields.Count];
        for (var f = 0; f < schema.Fields.Count; f++)
        {
            var field = schema.Fields[f];
            foreach (var name in field.Aliases.Prepend(field.Name))
            {
                fieldOfKey.TryAdd(HeaderMatcher.Key(name), f);
            }
        }
    }

    /// <summary>Whether any record had a property of each field.</summary>
    public bool[] Seen { get; }

    /// <summary>Fills <paramref name="values"/> (by field) from one record; the errors, empty when it is fine.</summary>
    public IReadOnlyList<RowError> Map(JsonElement record, long number, int page, string?[] values, IRejectedRowSink sink)
    {
        errors.Clear();
        Array.Clear(values);
        Array.Clear(setBy);
        if (record.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new RowError(number, null, "type-error", "type-error", $"page {page} : l'enregistrement n° {number} n'est pas un objet JSON ({Kind(record)})"));
            return errors;
        }

        var position = 0;
        foreach (var property in record.EnumerateObject())
        {
            Visit(property.Name, null, ++position, property.Value, number, page, values, sink);
        }

        return errors;
    }

    /// <param name="parent">The position of the object holding the property (flattened), null for the record.</param>
    /// <param name="index">The property's position in that object, from 1.</param>
    private void Visit(string name, string? parent, int index, JsonElement value, long number, int page, string?[] values, IRejectedRowSink sink)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                Set(name, parent, index, value.GetString(), number, page, values, sink);
                break;
            case JsonValueKind.Number:
                Set(name, parent, index, value.GetRawText(), number, page, values, sink);
                break;
            case JsonValueKind.True or JsonValueKind.False:
                Set(name, parent, index, value.ValueKind == JsonValueKind.True ? "true" : "false", number, page, values, sink);
                break;
            case JsonValueKind.Object when flatten:
                var childPosition = 0;
                foreach (var child in value.EnumerateObject())
                {
                    Visit($"{name}.{child.Name}", Position(parent, index), ++childPosition, child.Value, number, page, values, sink);
                }

                break;
            case JsonValueKind.Array when flatten && value.EnumerateArray().All(IsPlain):
                Set(name, parent, index, string.Join("|", value.EnumerateArray().Where(v => v.ValueKind != JsonValueKind.Null).Select(Plain)), number, page, values, sink);
                break;
            case JsonValueKind.Object or JsonValueKind.Array:
                var f = FieldOf(name);
                if (f >= 0)
                {
                    Seen[f] = true;
                    var hint = flatten ? "un tableau d'objets ne s'aplatit pas" : "déclarez source.nested: flatten pour l'aplatir";
                    errors.Add(new RowError(number, schema.Fields[f].Name, "type-error", "type-error", $"page {page} : la propriété « {name} » est {(value.ValueKind == JsonValueKind.Object ? "un objet" : "un tableau")} JSON, pas une valeur ({hint})"));
                }
                else
                {
                    Unknown(name, parent, index, number, page, sink);
                }

                break;
            default:
                // null: a missing value; still, the property names the field.
                if (FieldOf(name) is var g and >= 0)
                {
                    Seen[g] = true;
                }
                else
                {
                    Unknown(name, parent, index, number, page, sink);
                }

                break;
        }
    }

    private void Set(string name, string? parent, int index, string? text, long number, int page, string?[] values, IRejectedRowSink sink)
    {
        var f = FieldOf(name);
        if (f < 0)
        {
            Unknown(name, parent, index, number, page, sink);
            return;
        }

        Seen[f] = true;
        if (setBy[f] is { } other)
        {
            errors.Add(new RowError(number, schema.Fields[f].Name, "duplicate-label", "duplicate-label", $"page {page} : les propriétés « {other} » et « {name} » désignent le même champ"));
            return;
        }

        setBy[f] = name;
        values[f] = text;
    }

    private int FieldOf(string name)
    {
        if (fieldOfName.TryGetValue(name, out var f))
        {
            return f;
        }

        f = fieldOfKey.TryGetValue(HeaderMatcher.Key(name), out var found) ? found : -1;
        if (fieldOfName.Count < MaxNames)
        {
            fieldOfName[name] = f;
        }

        return f;
    }

    /// <summary>
    /// Reports a property that names no field once, by its position in the first record that has
    /// it: its name is text of the private source (it may name a person) and the warning reaches
    /// the logs, <c>rapport.json</c> and the public summary.
    /// </summary>
    private void Unknown(string name, string? parent, int index, long number, int page, IRejectedRowSink sink)
    {
        if (unknownReported.Count < MaxUnknownReported && unknownReported.Add(name))
        {
            var position = Position(parent, index);
            sink.Warn(new RowError(number, $"propriété n° {position}", "extra-label", "extra-label", $"page {page} : la propriété n° {position} de l'enregistrement n° {number} ne correspond à aucun champ du pipeline : elle est ignorée", IsWarning: true));
        }
    }

    /// <summary>"4", or "4.2" for the second property of the fourth property's object.</summary>
    private static string Position(string? parent, int index) => parent is null ? $"{index}" : $"{parent}.{index}";

    private static bool IsPlain(JsonElement e) => e.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array);

    private static string Plain(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => e.GetRawText(),
    };

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => "un tableau",
        JsonValueKind.String => "un texte",
        JsonValueKind.Number => "un nombre",
        JsonValueKind.Null => "null",
        _ => "un booléen",
    };
}
