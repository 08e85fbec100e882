using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Automotech.OpenData.Pipelines;

/// <summary>What was read of a schema.json: the schema, every mistake found, and whether every field's name was read.</summary>
/// <param name="NamesKnown">False when a field's name could not be read: checks of pipeline.yaml naming published fields would only echo that.</param>
internal sealed record SchemaJsonRead(TableSchema Schema, IReadOnlyList<string> Problems, bool NamesKnown);

/// <summary>
/// Reads a dataset's <c>schema.json</c> whole, as strict JSON (it is published as written), and
/// reports every mistake in one run, each at its line and column with its JSON path
/// (<c>fields[3].constraints.maxLength</c>, fields counted from 0). Only JSON syntax errors stop
/// the reading. A property the pipeline does not know is an error, not ignored: a misspelt
/// <c>constraints</c> would otherwise drop its <c>required</c> without a word. Table Schema's
/// descriptive properties are on the lists below; those that promise something of the data but
/// that no run checks (<c>exclusiveMinimum</c>, <c>foreignKeys</c>…) are refused, since published
/// they would claim what nobody verified.
/// </summary>
internal sealed partial class SchemaJsonReader
{
    internal static readonly string[] SchemaKeys = ["$schema", "fields", "primaryKey", "missingValues", "name", "title", "description"];
    internal static readonly string[] FieldKeys = ["name", "type", "format", "title", "description", "example", "rdfType", "constraints", "trueValues", "falseValues"];
    internal static readonly string[] ConstraintKeys = ["required", "unique", "minLength", "maxLength", "pattern", "enum", "minimum", "maximum"];
    private static readonly string[] TextsOfSchema = ["$schema", "name", "title", "description"];
    private static readonly string[] TextsOfField = ["format", "title", "description", "rdfType"];
    private static readonly string[] Unkept = ["foreignKeys", "uniqueKeys", "exclusiveMinimum", "exclusiveMaximum", "jsonSchema"];
    private static readonly string[] PipelineOnly = ["aliases", "checks", "warnings"];
    private static readonly string[] UnsupportedTypes = ["object", "array", "list", "time", "yearmonth", "duration", "geopoint", "geojson", "any"];

    private readonly byte[] json;
    private readonly List<(int Offset, string Message)> problems = [];
    private bool namesKnown = true;

    private SchemaJsonReader(byte[] json) => this.json = json;

    /// <summary>Reads <paramref name="file"/> (the bytes of a schema.json). Never throws for its content.</summary>
    public static SchemaJsonRead Read(byte[] file)
    {
        var reader = new SchemaJsonReader(file.AsSpan().StartsWith("\uFEFF"u8) ? file[3..] : file);
        if (reader.json.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return new(new TableSchema(), ["the file is empty: it holds the published Table Schema, { \"fields\": [ … ] }."], false);
        }

        Node root;
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(reader.json);
            var tokens = new Utf8JsonReader(reader.json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            tokens.Read();
            root = ReadValue(ref tokens);
            tokens.Read(); // anything after the one object is a syntax error
        }
        catch (DecoderFallbackException)
        {
            return new(new TableSchema(), ["the file is not UTF-8 text (JSON must be)."], false);
        }
        catch (JsonException e)
        {
            var (line, position) = ((int)(e.LineNumber ?? 0), (int)(e.BytePositionInLine ?? 0));
            var reason = e.Message.Split(" LineNumber:")[0].Trim();
            var here = reader.json.AsSpan(reader.OffsetOf(line, position));
            if (reason.Contains("trailing comma", StringComparison.Ordinal))
            {
                reason = "a comma after the last item: JSON allows none, remove it."; // .NET said "Change the reader options"
            }
            else if (here.StartsWith("//"u8) || here.StartsWith("/*"u8))
            {
                reason = "a comment: JSON allows none, remove it (a field's description goes in its \"description\").";
            }

            var at = reader.At(line, position);
            return new(new TableSchema(), [$"{at}: {reason} (JSON stops reading here: fix this, and any other mistake in the file shows on the next run)."], false);
        }

        var schema = reader.Schema(root);
        return new(schema, [.. reader.problems.OrderBy(p => p.Offset).Select(p => $"{reader.At(p.Offset)}: {p.Message}")], reader.namesKnown);
    }

    private TableSchema Schema(Node root)
    {
        if (root.Kind != JsonTokenType.StartObject)
        {
            namesKnown = false;
            Add(root, $"the file must hold one JSON object, {{ \"fields\": [ … ] }}, not {Describe(root)}.");
            return new TableSchema();
        }

        var read = Members(root, "", SchemaKeys, "the schema", "a schema takes", null);
        var fields = new List<SchemaField>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!read.TryGetValue("fields", out var list))
        {
            namesKnown = false;
            Add(root, "fields: the schema declares no field (\"fields\": [ { \"name\": …, \"type\": … } ]).");
        }
        else if (list.Kind != JsonTokenType.StartArray)
        {
            namesKnown = false;
            WrongType(list, "fields", null, "a list of fields ([ { \"name\": …, \"type\": … } ])");
        }
        else if (list.Items!.Count == 0)
        {
            Add(list, "fields: the schema declares no field.");
        }
        else
        {
            for (var i = 0; i < list.Items.Count; i++)
            {
                if (Field(list.Items[i], $"fields[{i}]") is not { } field)
                {
                    continue;
                }

                if (names.TryGetValue(field.Name, out var first))
                {
                    Add(list.Items[i].Members!.Find(m => m.Name == "name")!.Value, $"fields[{i}].name: field '{field.Name}' is already declared at fields[{first}]: each name is declared once.");
                    continue;
                }

                names[field.Name] = i;
                fields.Add(field);
            }
        }

        var primaryKey = new List<string>();
        if (read.TryGetValue("primaryKey", out var key))
        {
            // Table Schema allows one field's name alone, or a list of them.
            List<Node>? keys = key.Kind == JsonTokenType.String ? [key] : key.Kind == JsonTokenType.StartArray ? key.Items! : null;
            if (keys is null)
            {
                WrongType(key, "primaryKey", null, "a field's name or a list of them");
            }

            foreach (var (item, i) in (keys ?? []).Select((k, i) => (k, i)))
            {
                var where = key.Kind == JsonTokenType.String ? "primaryKey" : $"primaryKey[{i}]";
                if (Text(item, where, null) is { } name)
                {
                    if (primaryKey.IndexOf(name) is var first and >= 0)
                    {
                        Add(item, $"{where}: '{name}' is already in the key at primaryKey[{first}]: name each field once.");
                    }

                    primaryKey.Add(name);
                    if (namesKnown && !names.ContainsKey(name))
                    {
                        Add(item, $"{where}: '{name}' is not a field of the schema{Hint(name, names.Keys)}.");
                    }
                }
            }
        }

        var missingValues = read.TryGetValue("missingValues", out var missing) ? Texts(missing, "missingValues", null) : null;
        foreach (var described in TextsOfSchema.Where(read.ContainsKey))
        {
            _ = Text(read[described], described, null);
        }

        return new TableSchema { Fields = fields, PrimaryKey = primaryKey, MissingValues = missingValues ?? new TableSchema().MissingValues };
    }

    private SchemaField? Field(Node node, string path)
    {
        if (node.Kind != JsonTokenType.StartObject)
        {
            namesKnown = false;
            WrongType(node, path, null, "a field, { \"name\": …, \"type\": … }");
            return null;
        }

        // The name first: every other mistake of the field is said with it.
        var name = node.Members!.Find(m => m.Name == "name")?.Value is { Kind: JsonTokenType.String, Text: { Length: > 0 } given } ? given : null;
        var read = Members(node, path, FieldKeys, "a field", "a field takes", name);
        if (!read.TryGetValue("name", out var nameNode))
        {
            // A misspelt "name" is said once, as the unknown property it is.
            if (!node.Members.Exists(m => !FieldKeys.Contains(m.Name) && YamlShapeCheck.Meant(m.Name, FieldKeys) == "name"))
            {
                Add(node, $"{path}: a field needs a \"name\".");
            }
        }
        else if (Text(nameNode, $"{path}.name", null) is "")
        {
            Add(nameNode, $"{path}.name: a field's name cannot be empty.");
        }

        namesKnown &= name is not null;
        var type = read.TryGetValue("type", out var typeNode) ? Text(typeNode, $"{path}.type", name) : "string";
        if (type is not null && !FieldTypes.IsKnown(type))
        {
            var why = UnsupportedTypes.Contains(type) ? "is a Table Schema type the pipeline does not support" : "is not a Table Schema type";
            Add(typeNode!, $"{Where($"{path}.type", name)}: '{type}' {why}{Hint(type, FieldTypes.Known)} (supported: {string.Join(", ", FieldTypes.Known)}).");
            type = null;
        }

        foreach (var described in TextsOfField.Where(read.ContainsKey))
        {
            _ = Text(read[described], $"{path}.{described}", name);
        }

        var example = read.TryGetValue("example", out var exampleNode) ? Scalar(exampleNode, $"{path}.example", name) : null;
        var trueValues = read.TryGetValue("trueValues", out var trues) ? Texts(trues, $"{path}.trueValues", name) : null;
        var falseValues = read.TryGetValue("falseValues", out var falses) ? Texts(falses, $"{path}.falseValues", name) : null;
        // What reading a value as the field's type needs, for its enum, minimum and maximum.
        var typed = new SchemaField { Name = name ?? "", Type = type ?? "string", TrueValues = trueValues ?? new SchemaField().TrueValues, FalseValues = falseValues ?? new SchemaField().FalseValues };
        var constraints = read.TryGetValue("constraints", out var c) ? Constraints(c, $"{path}.constraints", typed, typeKnown: type is not null) : new FieldConstraints();
        return name is null ? null : new SchemaField
        {
            Name = name,
            Type = typed.Type,
            Format = read.TryGetValue("format", out var format) ? format.Text : null,
            Title = read.TryGetValue("title", out var title) ? title.Text : null,
            Description = read.TryGetValue("description", out var description) ? description.Text : null,
            Example = example,
            TrueValues = typed.TrueValues,
            FalseValues = typed.FalseValues,
            Constraints = constraints,
        };
    }

    private FieldConstraints Constraints(Node node, string path, SchemaField field, bool typeKnown)
    {
        var name = field.Name.Length == 0 ? null : field.Name;
        if (node.Kind != JsonTokenType.StartObject)
        {
            WrongType(node, path, name, "an object, { \"required\": true, … }");
            return new FieldConstraints();
        }

        var read = Members(node, path, ConstraintKeys, "constraints", "constraints take", name);
        string? pattern = null;
        if (read.TryGetValue("pattern", out var patternNode) && Text(patternNode, $"{path}.pattern", name) is { } p)
        {
            try
            {
                // In the validator's engine (linear time), which refuses back-references and look-arounds.
                _ = new Regex(p, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
                pattern = p;
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException)
            {
                Add(patternNode, $"{Where($"{path}.pattern", name)}: not a pattern the validator can run ({e.Message.TrimEnd('.')}).");
            }
        }

        List<string>? values = null;
        if (read.TryGetValue("enum", out var enumNode))
        {
            values = Scalars(enumNode, $"{path}.enum", name);
            if (values is { Count: 0 })
            {
                Add(enumNode, $"{Where($"{path}.enum", name)}: an empty enum accepts no value: list the values, or remove it.");
            }

            foreach (var (value, i) in (typeKnown ? values ?? [] : []).Select((v, i) => (v, i)).Where(v => FieldTypes.Normalise(field, v.v) is null))
            {
                Add(enumNode.Items![i], $"{Where($"{path}.enum[{i}]", name)}: '{value}' is not {A(field.Type)}.");
            }
        }

        var constraints = new FieldConstraints
        {
            Required = read.TryGetValue("required", out var required) && Bool(required, $"{path}.required", name),
            Unique = read.TryGetValue("unique", out var unique) && Bool(unique, $"{path}.unique", name),
            MinLength = read.TryGetValue("minLength", out var min) ? Length(min, $"{path}.minLength", name) : null,
            MaxLength = read.TryGetValue("maxLength", out var max) ? Length(max, $"{path}.maxLength", name) : null,
            Pattern = pattern,
            Enum = values,
            Minimum = read.TryGetValue("minimum", out var minimum) ? Bound(minimum, $"{path}.minimum", field, typeKnown) : null,
            Maximum = read.TryGetValue("maximum", out var maximum) ? Bound(maximum, $"{path}.maximum", field, typeKnown) : null,
        };

        // Bounds no value can meet: every row would be rejected, for a mistake of the definition.
        if (constraints is { MinLength: { } shortest, MaxLength: { } longest } && shortest > longest)
        {
            Add(max!, $"{Where($"{path}.maxLength", name)}: {longest} is below minLength {shortest}: no value can pass, every row would be rejected.");
        }

        if (constraints is { Minimum: { } low, Maximum: { } high } && FieldTypes.BoundsCross(field, low, high))
        {
            Add(maximum!, $"{Where($"{path}.maximum", name)}: {high} is below minimum {low}: no value can pass, every row would be rejected.");
        }

        return constraints;
    }

    /// <summary>The members of an object by name; an unknown name, or one given twice, is a mistake and left out.</summary>
    private Dictionary<string, Node> Members(Node node, string path, string[] known, string owner, string takes, string? field)
    {
        var read = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var member in node.Members!)
        {
            var where = Where(path.Length == 0 ? member.Name : $"{path}.{member.Name}", field);
            if (read.ContainsKey(member.Name))
            {
                Add(member.Offset, $"{where}: '{member.Name}' is given twice in {owner}: keep one.");
            }
            else if (known.Contains(member.Name))
            {
                read[member.Name] = member.Value;
            }
            else if (Unkept.Contains(member.Name))
            {
                Add(member.Offset, $"{where}: '{member.Name}' is Table Schema, but no run checks it, so published it would promise what nobody verified: remove it.");
            }
            else if (owner == "a field" && ConstraintKeys.Contains(member.Name))
            {
                Add(member.Offset, $"{where}: '{member.Name}' is a constraint: put it in \"constraints\": {{ … }} (here it is not read).");
            }
            else if (owner == "a field" && PipelineOnly.Contains(member.Name))
            {
                Add(member.Offset, $"{where}: '{member.Name}' belongs to source.schema in pipeline.yaml, not to the published schema.json.");
            }
            else
            {
                Add(member.Offset, $"{where}: unknown property '{member.Name}' in {owner}{Hint(member.Name, known)} ({takes} {string.Join(", ", known)}; Table Schema names are camelCase).");
            }
        }

        return read;
    }
}
