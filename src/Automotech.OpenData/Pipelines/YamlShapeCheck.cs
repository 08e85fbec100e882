using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Automotech.OpenData.Pipelines;

/// <summary>A mistake in a YAML file, at the line and column where it starts.</summary>
internal sealed record YamlMistake(long Line, long Column, string Message);

/// <summary>
/// The keys a section takes when another key of the file narrows what its type holds
/// (<c>source.kind: csv</c> reads no <c>sheet</c>): <paramref name="Who"/> names what narrows it
/// ("kind csv"), <paramref name="ReadBy"/> says what reads a key it does not take ("kind xlsx or
/// azure-blob"), <paramref name="Instead"/> what to do about such a key.
/// </summary>
internal sealed record KeyScope(string Who, IReadOnlySet<string> Keys, Func<string, string> ReadBy, string Instead);

/// <summary>
/// A first pass over a YAML file, tolerant where the deserializer is not: every key is checked
/// against the keys its section takes and every value against the type its key takes, so a file
/// with several misspelt keys or mistyped values gets them all in one run, each with its line and
/// column. The deserializer then reads the file without those entries (<see cref="WithoutMistakes"/>),
/// so the checks of everything else still run. A syntax error (bad indentation, an unclosed quote)
/// still stops at the first: past it the parser cannot tell what follows.
/// </summary>
internal sealed class YamlShapeCheck
{
    private readonly IDeserializer deserializer;
    private readonly List<YamlMistake> mistakes = [];
    private readonly HashSet<long> skippedKeys = [];
    private readonly HashSet<string> unread = new(StringComparer.Ordinal);
    private readonly NullabilityInfoContext nullability = new();
    private IReadOnlyDictionary<string, KeyScope> scopes = new Dictionary<string, KeyScope>();

    private YamlShapeCheck(IDeserializer deserializer) => this.deserializer = deserializer;

    /// <summary>The mistakes found, in the order of the file.</summary>
    public IReadOnlyList<YamlMistake> Mistakes => mistakes;

    /// <summary>
    /// False when the file is not a mapping of keys (a list, a value): there is nothing the
    /// deserializer could read, and nothing past that mistake to check.
    /// </summary>
    public bool Readable { get; private set; } = true;

    /// <summary>
    /// Checks <paramref name="text"/> against <paramref name="type"/>, converting scalars as
    /// <paramref name="deserializer"/> will, and the sections <paramref name="scopes"/> names (by
    /// dotted path) against the narrower keys it gives them from the file's root. Throws
    /// <see cref="YamlException"/> on a syntax error; null when the file holds no document.
    /// </summary>
    public static YamlShapeCheck? Of(string text, Type type, IDeserializer deserializer, Func<YamlMappingNode, IReadOnlyDictionary<string, KeyScope>>? scopes = null)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode root && IsNull(root))
        {
            return null;
        }

        var check = new YamlShapeCheck(deserializer);
        if (stream.Documents.Count > 1)
        {
            // The deserializer reads the first document only (WithoutMistakes ends the stream there).
            var second = SecondDocument(text);
            check.mistakes.Add(new YamlMistake(second.Line, second.Column, $"a second YAML document starts here: {Name("")} is one YAML document only (remove this '---' and what follows, or merge it into the first document)."));
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode)
        {
            var node = stream.Documents[0].RootNode;
            var keys = Properties(type).Keys.Take(3);
            check.mistakes.Add(new YamlMistake(node.Start.Line, node.Start.Column, $"{Name("")} must be a mapping of keys ({string.Join(", ", keys)}…, one 'key: value' per line), not {(node is YamlSequenceNode ? "a list" : $"a value ({Describe(node)})")}."));
            check.Readable = false;
        }
        else
        {
            if (scopes is not null)
            {
                check.scopes = scopes((YamlMappingNode)stream.Documents[0].RootNode);
            }

            check.Walk(stream.Documents[0].RootNode, type, "", entryKey: null, item: false, info: null);
        }

        check.mistakes.Sort((a, b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column));
        return check;
    }

    /// <summary>The file's events, less every entry (key and value) found faulty: those keys keep their defaults.</summary>
    public IParser WithoutMistakes(string text) => new SkippingParser(new Parser(new StringReader(text)), skippedKeys);

    /// <summary>
    /// True when a key at or under one of <paramref name="sections"/> (dotted paths such as
    /// <c>source.schema</c>) was not read: a check reading it would only echo that mistake.
    /// </summary>
    public bool Unread(params string[] sections) => sections.Any(s => unread.Any(u => Overlap(u, s)));

    /// <summary>True when <paramref name="error"/> starts with a key path (<c>fields.nom:</c>, <c>source.kind '…'</c>) that was not read.</summary>
    public bool Covers(string error)
    {
        var match = System.Text.RegularExpressions.Regex.Match(error, @"^([a-z_]+(?:\.[\w-]+)+|[a-z_]+(?=:))", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        return match.Success && Unread(match.Groups[1].Value);
    }

    /// <summary>
    /// Every key path <paramref name="type"/> takes, named as this check names them
    /// (<c>source.limits.max_rows</c>): a list's items add no segment, and the names of a mapping
    /// the author chooses (a published field's) are <c>*</c> (<c>fields.*.from</c>). A type inside
    /// itself (a rule's <c>natural_person</c>) is not walked again. The tests that hold the docs to
    /// the loader read it.
    /// </summary>
    internal static IEnumerable<string> KeyPaths(Type type) => KeyPaths(type, "", []);

    private static IEnumerable<string> KeyPaths(Type type, string path, HashSet<Type> walking)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(type) || !walking.Add(type))
        {
            yield break;
        }

        var inner = ItemType(type) is { } itemType ? KeyPaths(itemType, path, walking)
            : ValueType(type) is { } valueType ? KeyPaths(valueType, Join(path, "*"), walking)
            : Properties(type).SelectMany(p => KeyPaths(p.Value.PropertyType, Join(path, p.Key), walking).Prepend(Join(path, p.Key)));
        foreach (var key in inner.ToList())
        {
            yield return key;
        }

        walking.Remove(type);
    }

    /// <summary>The key among <paramref name="keys"/> that <paramref name="name"/> is most likely a misspelling of (case, '_' and '-' aside), or null.</summary>
    internal static string? Meant(string name, IEnumerable<string> keys) =>
        keys.Where(k => Close(name, k))
            .OrderBy(k => Distance(Normalise(name), Normalise(k))).ThenBy(k => k, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>True when <paramref name="name"/> is within one edit of <paramref name="key"/> (two for keys of six letters or more).</summary>
    private static bool Close(string name, string key) => Distance(Normalise(name), Normalise(key)) <= (key.Length >= 6 ? 2 : 1);

    private static bool Overlap(string a, string b) =>
        a == b || a.StartsWith(b + ".", StringComparison.Ordinal) || b.StartsWith(a + ".", StringComparison.Ordinal);

    /// <summary>Where the second document of <paramref name="text"/> starts (its '---').</summary>
    private static Mark SecondDocument(string text)
    {
        var parser = new Parser(new StringReader(text));
        var documents = 0;
        while (parser.MoveNext())
        {
            if (parser.Current is DocumentStart start && ++documents == 2)
            {
                return start.Start;
            }
        }

        return Mark.Empty;
    }

    /// <summary>
    /// Checks <paramref name="node"/> against <paramref name="type"/>; <paramref name="info"/> is
    /// the nullability the model declares for it, when known (that of a property, or of one of its
    /// generic arguments), and says whether a list's items or a mapping's values may be left null.
    /// </summary>
    private void Walk(YamlNode node, Type type, string path, YamlNode? entryKey, bool item, NullabilityInfo? info)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var takes = item ? $"{Name(path)}: each item of this list is" : $"{Name(path)}: this key takes";
        if (IsScalar(type))
        {
            if (node is not YamlScalarNode scalar)
            {
                Add(node, entryKey, path, $"{takes} {Describe(type)}, not {Describe(node)}.");
            }
            else if (!Converts(scalar, type))
            {
                Add(node, entryKey, path, $"{Name(path)}: '{scalar.Value}' is not a value this key takes ({Describe(type)}).");
            }
        }
        else if (ItemType(type) is { } itemType)
        {
            if (node is not YamlSequenceNode sequence)
            {
                Add(node, entryKey, path, $"{takes} {Describe(type)}, not {Describe(node)}.");
                return;
            }

            var itemInfo = info?.GenericTypeArguments is [var argument] ? argument : null;
            foreach (var child in sequence.Children)
            {
                if (child is YamlScalarNode scalar && IsNull(scalar))
                {
                    // A list of text holding a null would pass as text, and one of sections as a missing one.
                    if (!MayBeNull(itemType, itemInfo))
                    {
                        Add(child, entryKey, path, $"{Name(path)}: an item of this list has no value: give it {Describe(itemType)}, or remove the item.");
                    }

                    continue;
                }

                Walk(child, itemType, path, entryKey, item: true, itemInfo);
            }
        }
        else if (node is not YamlMappingNode mapping)
        {
            Add(node, entryKey, path, $"{takes} {Describe(type)}, not {Describe(node)}.");
        }
        else if (ValueType(type) is { } valueType)
        {
            foreach (var (key, value) in mapping.Children)
            {
                if (key is not YamlScalarNode name)
                {
                    Add(key, entryKey, path, $"{Name(path)}: a key must be plain text, not {Describe(key)}.");
                    continue;
                }

                // A name left with no value (fields: { nom: ~ }) is a mistake unless the model says a value may be null.
                var valueInfo = info?.GenericTypeArguments is [_, var argument] ? argument : null;
                Entry(Join(path, name.Value ?? ""), name, value, valueType, MayBeNull(valueType, valueInfo), valueInfo, hasDefault: false);
            }
        }
        else
        {
            Section(mapping, type, path, entryKey);
        }
    }

    private void Section(YamlMappingNode mapping, Type type, string path, YamlNode? entryKey)
    {
        var properties = Properties(type);
        var scope = scopes.GetValueOrDefault(path);
        var takes = properties.Keys.Where(k => scope is null || scope.Keys.Contains(k)).ToList();
        var takesSaid = $"({(scope is null ? "" : $"with {scope.Who}, ")}{(path.Length == 0 ? "pipeline.yaml" : path)} takes {string.Join(", ", takes)}";
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name } keyScalar)
            {
                Add(key, entryKey, path, $"{Name(path)}: a key must be plain text, not {Describe(key)}.");
                continue;
            }

            if (scope is not null && properties.ContainsKey(name) && !scope.Keys.Contains(name))
            {
                // A key of another kind would be read, then ignored: the author believes it applies.
                Add(key, key, Join(path, name), $"{Join(path, name)}: {scope.Who} does not read this key: only {scope.ReadBy(name)} does; {scope.Instead} {takesSaid}).");
                continue;
            }

            if (properties.TryGetValue(name, out var property))
            {
                var info = nullability.Create(property);
                Entry(Join(path, name), keyScalar, value, property.PropertyType, info.WriteState != NullabilityState.NotNull, info, hasDefault: true);
                continue;
            }

            // A misspelt key leaves the key it meant at its default: checks reading that one are skipped.
            var absent = takes.Where(k => !mapping.Children.ContainsKey(new YamlScalarNode(k)));
            var meant = Meant(name, takes);
            foreach (var close in absent.Where(k => Close(name, k)))
            {
                unread.Add(Join(path, close));
            }

            // Nothing near among the keys in scope: a near key of another kind is still the likelier meaning.
            var elsewhere = meant is null && scope is not null ? Meant(name, properties.Keys) : null;
            var section = path.Length == 0 ? "at the top level" : $"in {path}";
            var hint = meant is not null ? $": did you mean '{meant}'?"
                : elsewhere is not null ? $": did you mean '{elsewhere}'? (only {scope!.ReadBy(elsewhere)} reads it)"
                : "";
            Add(key, key, Join(path, name), $"unknown key '{name}' {section}{hint} {takesSaid}; keys are snake_case).");
        }
    }

    private void Entry(string path, YamlScalarNode key, YamlNode value, Type type, bool nullable, NullabilityInfo? info, bool hasDefault)
    {
        if (value is YamlScalarNode scalar && IsNull(scalar))
        {
            if (!nullable)
            {
                Add(key, key, path, $"{path} has no value: give it {Describe(type)}, or remove {(hasDefault ? "the line to keep the default" : "the entry")}.");
            }

            return;
        }

        Walk(value, type, path, key, item: false, info);
    }

    /// <summary>Records a mistake; the entry holding it is skipped when the file is read, and the key at <paramref name="path"/> counts as unread.</summary>
    private void Add(YamlNode at, YamlNode? entryKey, string path, string message)
    {
        mistakes.Add(new YamlMistake(at.Start.Line, at.Start.Column, message));
        if (entryKey is not null)
        {
            skippedKeys.Add(entryKey.Start.Index);
        }

        unread.Add(path);
    }

    /// <summary>Converts one scalar as the deserializer will, so the two can never disagree on what a number is.</summary>
    private bool Converts(YamlScalarNode scalar, Type type)
    {
        var plain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any;
        try
        {
            _ = deserializer.Deserialize(new EventList([new Scalar(AnchorName.Empty, scalar.Tag, scalar.Value ?? "", scalar.Style, plain, !plain)]), type);
            return true;
        }
        catch (YamlException)
        {
            return false;
        }
    }

    /// <summary>
    /// True when a list item or mapping value of <paramref name="type"/> may be null: a
    /// <c>Nullable&lt;T&gt;</c>, or a reference annotated so (<c>List&lt;string?&gt;</c>). Without the
    /// annotation it may not: the code reading it would meet a null it does not expect.
    /// </summary>
    private static bool MayBeNull(Type type, NullabilityInfo? info) =>
        Nullable.GetUnderlyingType(type) is not null || info?.ReadState == NullabilityState.Nullable;

    private static Dictionary<string, PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetCustomAttribute<YamlIgnoreAttribute>() is null)
            .ToDictionary(
                p => p.GetCustomAttribute<YamlMemberAttribute>()?.Alias ?? UnderscoredNamingConvention.Instance.Apply(p.Name),
                StringComparer.Ordinal);

    private static bool IsScalar(Type type) => type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal);

    private static Type? ItemType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;

    private static Type? ValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) ? type.GetGenericArguments()[1] : null;

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && scalar.Tag.IsEmpty && scalar.Value is "" or "~" or "null" or "Null" or "NULL";

    private static string Describe(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(double) || t == typeof(decimal) || t == typeof(float) => "a number",
        var t when t == typeof(int) || t == typeof(long) => "a whole number",
        var t when t == typeof(bool) => "true or false",
        var t when t == typeof(string) => "text",
        var t when ItemType(t) is not null => "a list ([a, b] or one '- item' per line)",
        var t when ValueType(t) is not null => "a mapping (name: value lines)",
        _ => "a section (key: value lines)",
    };

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode scalar => $"'{scalar.Value}'",
        YamlSequenceNode => "a list",
        _ => "a mapping",
    };

    private static string Name(string path) => path.Length == 0 ? "pipeline.yaml" : path;

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Normalise(string key) => key.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    /// <summary>Events from a list: how one scalar is handed to the deserializer.</summary>
    private sealed class EventList(IReadOnlyList<ParsingEvent> events) : IParser
    {
        private int next;

        public ParsingEvent? Current { get; private set; }

        public bool MoveNext()
        {
            Current = next < events.Count ? events[next++] : null;
            return Current is not null;
        }
    }

    /// <summary>
    /// Passes a parser's events on, less the entries whose key starts at one of the given positions;
    /// the stream ends with the first document (a second one is a mistake already reported).
    /// </summary>
    private sealed class SkippingParser(IParser inner, HashSet<long> skippedKeys) : IParser
    {
        private int documents;
        private ParsingEvent? ended;

        public ParsingEvent? Current => ended ?? inner.Current;

        public bool MoveNext()
        {
            if (ended is not null || !inner.MoveNext())
            {
                return false;
            }

            while (inner.Current is Scalar key && skippedKeys.Contains(key.Start.Index))
            {
                // The key, then its value: one scalar or alias, or a whole mapping or list.
                var depth = 0;
                while (inner.MoveNext())
                {
                    depth += inner.Current switch { MappingStart or SequenceStart => 1, MappingEnd or SequenceEnd => -1, _ => 0 };
                    if (depth == 0)
                    {
                        break;
                    }
                }

                if (!inner.MoveNext())
                {
                    return false;
                }
            }

            if (inner.Current is DocumentStart start && ++documents == 2)
            {
                ended = new StreamEnd(start.Start, start.End);
            }

            return true;
        }
    }
}
