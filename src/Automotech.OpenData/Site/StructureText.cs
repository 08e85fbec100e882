using System.Text.Json;
using System.Text.Json.Nodes;
using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Site;

/// <summary>A piece of a sentence: text, or a field's name (set in <c>code</c> on a page, between « » in plain text).</summary>
public sealed record TextSegment(string Text, bool Code = false);

/// <summary>
/// « Structure modifiée depuis la version 2026-11-20 : champ ajouté x ; champ retiré y ; type de z :
/// integer → number. »: a version's structural changes (<see cref="StructureChange"/>) said in
/// French, for the pages (each change a list of segments, escaped by the template context like any
/// value), the Atom feed and the catalogue's <c>adms:versionNotes</c> (plain text).
/// </summary>
public sealed record StructureNote(string Previous, IReadOnlyList<IReadOnlyList<TextSegment>> Items)
{
    /// <summary>Whether a field was added or removed: the rows were then compared on the fields both versions hold.</summary>
    public bool FieldsDiffer { get; init; }

    /// <summary>The note, or null when there is nothing to say (same structure, first version, not compared).</summary>
    public static StructureNote? Of(string? previous, IReadOnlyList<StructureChange>? changes) =>
        previous is null || changes is not { Count: > 0 }
            ? null
            : new StructureNote(previous, [.. changes.Select(Item)]) { FieldsDiffer = changes.Any(c => c.Change is "field-added" or "field-removed") };

    /// <summary>The whole sentence in plain text, field names between « ».</summary>
    public string Plain() =>
        $"Structure modifiée depuis la version {Previous} : "
        + string.Join(" ; ", Items.Select(item => string.Concat(item.Select(s => s.Code ? $"« {s.Text} »" : s.Text)))) + ".";

    private static List<TextSegment> Item(StructureChange c)
    {
        TextSegment F(string? name) => new(name ?? "", Code: true);
        TextSegment T(string text) => new(text);
        return c.Change switch
        {
            "field-added" => [T("champ ajouté "), F(c.Field), T($" ({Text(c.After?["type"]) ?? "string"})")],
            "field-removed" => [T("champ retiré "), F(c.Field)],
            "type" => [T("type de "), F(c.Field), T($" : {Text(c.Before)} → {Text(c.After)}")],
            "format" => [T("format de "), F(c.Field), T($" : {Text(c.Before)} → {Text(c.After)}")],
            "constraint" when c.Property is "required" => [F(c.Field), T(IsTrue(c.After) ? " devient obligatoire" : " n'est plus obligatoire")],
            "constraint" when c.Property is "unique" => [F(c.Field), T(IsTrue(c.After) ? " devient unique" : " n'est plus unique")],
            "constraint" when c.Property is "enum" => [T("valeurs permises de "), F(c.Field), T(" : " + EnumChange(c.Before, c.After))],
            "constraint" => [T($"{ConstraintName(c.Property)} de "), F(c.Field), T($" : {Value(c.Before, "aucun")} → {Value(c.After, "aucun")}")],
            "boolean-values" => [T($"{(c.Property == "trueValues" ? "valeurs vraies" : "valeurs fausses")} ({c.Property}) de "), F(c.Field), T($" : {Value(c.Before, "")} → {Value(c.After, "")}")],
            "missing-values" => [T($"valeurs manquantes (missingValues) : {Value(c.Before, "")} → {Value(c.After, "")}")],
            "primary-key" => [T("clé primaire : "), .. Names(c.Before, "aucune"), T(" → "), .. Names(c.After, "aucune")],
            "field-order" => [T("ordre des champs : "), .. Names(c.After, "")],
            _ => [T(c.Change), .. c.Field is null ? Array.Empty<TextSegment>() : [T(" de "), F(c.Field)]],
        };
    }

    private static string ConstraintName(string? property) => property switch
    {
        "pattern" => "motif",
        "minimum" => "minimum",
        "maximum" => "maximum",
        "minLength" => "longueur minimale",
        "maxLength" => "longueur maximale",
        _ => property ?? "contrainte",
    };

    /// <summary>« ajoutées : "c" ; retirée : "a" », or the new list when there was none (or none is left).</summary>
    private static string EnumChange(JsonNode? before, JsonNode? after)
    {
        if (before is not JsonArray b)
        {
            return "désormais limitées à " + Value(after, "");
        }

        if (after is not JsonArray a)
        {
            return "plus limitées (étaient " + Value(before, "") + ")";
        }

        var was = b.Select(x => Value(x, "")).ToList();
        var now = a.Select(x => Value(x, "")).ToList();
        var added = now.Where(x => !was.Contains(x, StringComparer.Ordinal)).ToList();
        var removed = was.Where(x => !now.Contains(x, StringComparer.Ordinal)).ToList();
        var parts = new List<string>();
        if (added.Count > 0)
        {
            parts.Add($"{(added.Count == 1 ? "ajoutée" : "ajoutées")} {string.Join(", ", added)}");
        }

        if (removed.Count > 0)
        {
            parts.Add($"{(removed.Count == 1 ? "retirée" : "retirées")} {string.Join(", ", removed)}");
        }

        return string.Join(", ", parts);
    }

    /// <summary>Field names, each set as a name, between commas.</summary>
    private static List<TextSegment> Names(JsonNode? names, string none)
    {
        var list = names is JsonArray a ? a.Select(x => Text(x) ?? "").ToList() : [];
        if (list.Count == 0)
        {
            return [new TextSegment(none)];
        }

        var segments = new List<TextSegment>();
        foreach (var name in list)
        {
            if (segments.Count > 0)
            {
                segments.Add(new TextSegment(", "));
            }

            segments.Add(new TextSegment(name, Code: true));
        }

        return segments;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString();

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    /// <summary>A value as a reader reads it: a text between quotes, a list joined by commas, a number as JSON writes it.</summary>
    private static string Value(JsonNode? node, string none) => node switch
    {
        null => none,
        JsonArray a when a.Count == 0 => none,
        JsonArray a => string.Join(", ", a.Select(x => Value(x, "null"))),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => $"\"{v.GetValue<string>()}\"",
        _ => node.ToJsonString(),
    };
}
