using System.Text.Json;
using System.Text.Json.Nodes;

namespace Automotech.OpenData.Releases;

/// <summary>
/// One difference between the published Table Schemas (<c>schema.json</c>) of two consecutive
/// versions that a loader of the files can trip on. <see cref="Change"/> is one of:
/// <list type="bullet">
/// <item><c>field-added</c>, <c>field-removed</c>: a field by name (a renamed field is one removed
/// and one added: a Table Schema gives a field no identity but its name); <see cref="After"/> or
/// <see cref="Before"/> is the field as its schema declares it;</item>
/// <item><c>type</c>, <c>format</c>: a field both versions hold (a missing type is <c>string</c>, a
/// missing format <c>default</c>, as Table Schema reads them);</item>
/// <item><c>constraint</c>: one of a field's <c>constraints</c> (<see cref="Property"/>: <c>required</c>,
/// <c>unique</c>, <c>enum</c>, <c>pattern</c>, <c>minimum</c>, <c>maximum</c>, <c>minLength</c>,
/// <c>maxLength</c>) added, removed or changed; a missing <c>required</c> or <c>unique</c> is false,
/// and an <c>enum</c> is compared as a set (its order means nothing);</item>
/// <item><c>boolean-values</c>: a field's <c>trueValues</c> or <c>falseValues</c> (<see cref="Property"/>),
/// compared as sets, missing ones being Table Schema's defaults;</item>
/// <item><c>missing-values</c>: the schema's <c>missingValues</c> (missing: <c>[""]</c>), as a set;</item>
/// <item><c>primary-key</c>: the <c>primaryKey</c>'s fields, in order;</item>
/// <item><c>field-order</c>: the fields both versions hold are not in the same order (a field added or
/// removed alone is not an order change); <see cref="Before"/> and <see cref="After"/> list every field.</item>
/// </list>
/// Descriptive properties (a field's or the schema's <c>title</c>, <c>description</c>, <c>example</c>,
/// <c>rdfType</c>, the schema's <c>name</c> and <c>$schema</c>) are not structure and are not compared.
/// </summary>
public sealed class StructureChange
{
    public string Change { get; init; } = "";

    public string? Field { get; init; }

    public string? Property { get; init; }

    public JsonNode? Before { get; init; }

    public JsonNode? After { get; init; }

    /// <summary>Every value of <see cref="Change"/>.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["field-added", "field-removed", "type", "format", "constraint", "boolean-values", "missing-values", "primary-key", "field-order"];

    /// <summary>The constraints compared (Table Schema's, as the loader takes them).</summary>
    public static readonly IReadOnlyList<string> Constraints = ["required", "unique", "enum", "pattern", "minimum", "maximum", "minLength", "maxLength"];

    private static readonly string[] DefaultTrueValues = ["true", "True", "TRUE", "1"];

    private static readonly string[] DefaultFalseValues = ["false", "False", "FALSE", "0"];

    /// <summary>The structural changes from <paramref name="before"/> to <paramref name="after"/> (two schema.json texts), in a stable order.</summary>
    public static List<StructureChange> Compare(string before, string after) => Compare(JsonNode.Parse(before)!.AsObject(), JsonNode.Parse(after)!.AsObject());

    public static List<StructureChange> Compare(JsonObject before, JsonObject after)
    {
        var changes = new List<StructureChange>();
        var old = Fields(before);
        var now = Fields(after);
        var oldByName = old.ToDictionary(f => Name(f), StringComparer.Ordinal);
        var nowNames = now.Select(Name).ToHashSet(StringComparer.Ordinal);

        foreach (var field in now.Where(f => !oldByName.ContainsKey(Name(f))))
        {
            changes.Add(new StructureChange { Change = "field-added", Field = Name(field), After = field.DeepClone() });
        }

        foreach (var field in old.Where(f => !nowNames.Contains(Name(f))))
        {
            changes.Add(new StructureChange { Change = "field-removed", Field = Name(field), Before = field.DeepClone() });
        }

        foreach (var field in now)
        {
            var name = Name(field);
            if (!oldByName.TryGetValue(name, out var was))
            {
                continue;
            }

            Compare(changes, "type", name, null, Text(was, "type") ?? "string", Text(field, "type") ?? "string");
            Compare(changes, "format", name, null, Text(was, "format") ?? "default", Text(field, "format") ?? "default");
            var c0 = was["constraints"] as JsonObject;
            var c1 = field["constraints"] as JsonObject;
            foreach (var constraint in Constraints)
            {
                var (b, a) = (c0?[constraint], c1?[constraint]);
                var same = constraint switch
                {
                    "required" or "unique" => IsTrue(b) == IsTrue(a),
                    "enum" => SameSet(b, a),
                    _ => JsonNode.DeepEquals(b, a),
                };
                if (!same)
                {
                    changes.Add(new StructureChange
                    {
                        Change = "constraint",
                        Field = name,
                        Property = constraint,
                        Before = constraint is "required" or "unique" ? IsTrue(b) : b?.DeepClone(),
                        After = constraint is "required" or "unique" ? IsTrue(a) : a?.DeepClone(),
                    });
                }
            }

            foreach (var (property, defaults) in new[] { ("trueValues", DefaultTrueValues), ("falseValues", DefaultFalseValues) })
            {
                var b = was[property] ?? new JsonArray([.. defaults.Select(d => (JsonNode)d)]);
                var a = field[property] ?? new JsonArray([.. defaults.Select(d => (JsonNode)d)]);
                if (!SameSet(b, a))
                {
                    changes.Add(new StructureChange { Change = "boolean-values", Field = name, Property = property, Before = b.DeepClone(), After = a.DeepClone() });
                }
            }
        }

        var missingBefore = before["missingValues"] ?? new JsonArray("");
        var missingAfter = after["missingValues"] ?? new JsonArray("");
        if (!SameSet(missingBefore, missingAfter))
        {
            changes.Add(new StructureChange { Change = "missing-values", Before = missingBefore.DeepClone(), After = missingAfter.DeepClone() });
        }

        var keyBefore = Key(before);
        var keyAfter = Key(after);
        if (!keyBefore.SequenceEqual(keyAfter, StringComparer.Ordinal))
        {
            changes.Add(new StructureChange { Change = "primary-key", Before = Names(keyBefore), After = Names(keyAfter) });
        }

        var commonBefore = old.Select(Name).Where(nowNames.Contains);
        var commonAfter = now.Select(Name).Where(oldByName.ContainsKey);
        if (!commonBefore.SequenceEqual(commonAfter, StringComparer.Ordinal))
        {
            changes.Add(new StructureChange { Change = "field-order", Before = Names(old.Select(Name)), After = Names(now.Select(Name)) });
        }

        return changes;
    }

    /// <summary>The Table Schema of a published version: its schema.json, else the one its datapackage.json embeds (versions published before schema.json was).</summary>
    public static JsonObject? SchemaOfDataPackage(JsonNode? package) =>
        package?["resources"] is JsonArray { Count: > 0 } resources && resources[0]?["schema"] is JsonObject schema ? schema : null;

    private static void Compare(List<StructureChange> changes, string change, string field, string? property, string before, string after)
    {
        if (!string.Equals(before, after, StringComparison.Ordinal))
        {
            changes.Add(new StructureChange { Change = change, Field = field, Property = property, Before = before, After = after });
        }
    }

    private static List<JsonObject> Fields(JsonObject schema) =>
        schema["fields"] is JsonArray fields ? [.. fields.OfType<JsonObject>().Where(f => Text(f, "name") is not null)] : [];

    private static string Name(JsonObject field) => Text(field, "name")!;

    private static string? Text(JsonObject node, string property) =>
        node[property] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static bool SameSet(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        static HashSet<string> Set(JsonNode node) => node is JsonArray array
            ? array.Select(x => x?.ToJsonString() ?? "null").ToHashSet(StringComparer.Ordinal)
            : [node.ToJsonString()];
        return Set(a).SetEquals(Set(b));
    }

    private static List<string> Key(JsonObject schema) => schema["primaryKey"] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        JsonArray a => [.. a.Select(x => x is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : "")],
        _ => [],
    };

    private static JsonArray Names(IEnumerable<string> names) => new([.. names.Select(n => (JsonNode)n)]);
}
