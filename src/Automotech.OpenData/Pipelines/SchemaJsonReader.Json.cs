using System.Text;
using System.Text.Json;

namespace Automotech.OpenData.Pipelines;

/// <summary>The JSON side of <see cref="SchemaJsonReader"/>: values of each JSON type, and where they are in the file.</summary>
internal sealed partial class SchemaJsonReader
{
    private string? Text(Node node, string path, string? field)
    {
        if (node.Kind == JsonTokenType.String)
        {
            return node.Text;
        }

        WrongType(node, path, field, "text");
        return null;
    }

    private List<string>? Texts(Node node, string path, string? field)
    {
        if (node.Kind != JsonTokenType.StartArray)
        {
            WrongType(node, path, field, "a list of texts");
            return null;
        }

        return [.. node.Items!.Select((item, i) => Text(item, $"{path}[{i}]", field)).OfType<string>()];
    }

    private string? Scalar(Node node, string path, string? field)
    {
        if (node.Kind is JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False)
        {
            return node.Text;
        }

        WrongType(node, path, field, "one value (text, a number, true or false)");
        return null;
    }

    private List<string>? Scalars(Node node, string path, string? field)
    {
        if (node.Kind != JsonTokenType.StartArray)
        {
            WrongType(node, path, field, "a list of values ([\"a\", \"b\"])");
            return null;
        }

        return [.. node.Items!.Select((item, i) => Scalar(item, $"{path}[{i}]", field)).OfType<string>()];
    }

    private bool Bool(Node node, string path, string? field)
    {
        if (node.Kind is JsonTokenType.True or JsonTokenType.False)
        {
            return node.Kind == JsonTokenType.True;
        }

        WrongType(node, path, field, "true or false");
        return false;
    }

    private int? Length(Node node, string path, string? field)
    {
        if (node.Kind == JsonTokenType.Number && int.TryParse(node.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length))
        {
            return length;
        }

        WrongType(node, path, field, "a whole number, 0 or more");
        return null;
    }

    /// <summary>A minimum or maximum: a number, or text for dates; a value of the field's type either way.</summary>
    private string? Bound(Node node, string path, SchemaField field, bool typeKnown)
    {
        var name = field.Name.Length == 0 ? null : field.Name;
        if (node.Kind is not (JsonTokenType.Number or JsonTokenType.String))
        {
            WrongType(node, path, name, A(field.Type));
            return null;
        }

        if (typeKnown && FieldTypes.Normalise(field, node.Text!) is null)
        {
            Add(node, $"{Where(path, name)}: '{node.Text}' is not {A(field.Type)}.");
            return null;
        }

        return node.Text;
    }

    private void WrongType(Node node, string path, string? field, string takes) =>
        Add(node, $"{Where(path, field)}: this property takes {takes}, not {Describe(node)}.");

    private void Add(Node node, string message) => Add(node.Offset, message);

    private void Add(int offset, string message) => problems.Add((offset, message));

    /// <summary>A type name with its article: "a number", "an integer".</summary>
    private static string A(string type) => type is ['a' or 'e' or 'i' or 'o' or 'u', ..] ? $"an {type}" : $"a {type}";

    private static string Where(string path, string? field) => field is null ? path : $"{path} (field '{field}')";

    private static string Hint(string name, IEnumerable<string> known) =>
        YamlShapeCheck.Meant(name, known) is { } meant ? $": did you mean '{meant}'?" : "";

    private static string Describe(Node node) => node.Kind switch
    {
        JsonTokenType.String => $"the text \"{node.Text}\"",
        JsonTokenType.Number => $"the number {node.Text}",
        JsonTokenType.True or JsonTokenType.False => node.Text!,
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "a list",
        _ => "an object",
    };

    /// <summary>"line L, column C" (both from 1, the column in characters) of a byte offset.</summary>
    private string At(int offset)
    {
        var before = json.AsSpan(0, Math.Min(offset, json.Length));
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return At(before.Count((byte)'\n'), offset - lineStart);
    }

    /// <summary>"line L, column C" of a 0-based line and byte position in it, as System.Text.Json gives them.</summary>
    private string At(int line, int bytePosition)
    {
        var lineStart = LineStart(line);
        var length = Math.Clamp(bytePosition, 0, json.Length - lineStart);
        return $"line {line + 1}, column {Encoding.UTF8.GetCharCount(json.AsSpan(lineStart, length)) + 1}";
    }

    /// <summary>The offset in the file of a 0-based line and byte position in it.</summary>
    private int OffsetOf(int line, int bytePosition)
    {
        var lineStart = LineStart(line);
        return lineStart + Math.Clamp(bytePosition, 0, json.Length - lineStart);
    }

    private int LineStart(int line)
    {
        var lineStart = 0;
        for (var i = 0; i < line && lineStart < json.Length; i++)
        {
            var next = json.AsSpan(lineStart).IndexOf((byte)'\n');
            lineStart = next < 0 ? json.Length : lineStart + next + 1;
        }

        return lineStart;
    }

    private static Node ReadValue(ref Utf8JsonReader tokens)
    {
        var offset = (int)tokens.TokenStartIndex;
        switch (tokens.TokenType)
        {
            case JsonTokenType.StartObject:
                var members = new List<Member>();
                while (tokens.Read() && tokens.TokenType == JsonTokenType.PropertyName)
                {
                    var name = tokens.GetString()!;
                    var at = (int)tokens.TokenStartIndex;
                    tokens.Read();
                    members.Add(new Member(name, at, ReadValue(ref tokens)));
                }

                return new Node(JsonTokenType.StartObject, offset, Members: members);
            case JsonTokenType.StartArray:
                var items = new List<Node>();
                while (tokens.Read() && tokens.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref tokens));
                }

                return new Node(JsonTokenType.StartArray, offset, Items: items);
            case JsonTokenType.String:
                return new Node(JsonTokenType.String, offset, tokens.GetString());
            case JsonTokenType.Number:
                return new Node(JsonTokenType.Number, offset, Encoding.UTF8.GetString(tokens.ValueSpan));
            default:
                return new Node(tokens.TokenType, offset, tokens.TokenType switch { JsonTokenType.True => "true", JsonTokenType.False => "false", _ => null });
        }
    }

    /// <summary>One JSON value where it starts in the file: what the checks need of System.Text.Json's tokens.</summary>
    private sealed record Node(JsonTokenType Kind, int Offset, string? Text = null, List<Member>? Members = null, List<Node>? Items = null);

    private sealed record Member(string Name, int Offset, Node Value);
}
