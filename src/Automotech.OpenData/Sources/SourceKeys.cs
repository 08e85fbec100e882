using Automotech.OpenData.Pipelines;
using YamlDotNet.RepresentationModel;

namespace Automotech.OpenData.Sources;

/// <summary>
/// The keys of <c>source</c> (and of <c>source.limits</c>) each kind reads. A key of another kind
/// would be deserialized and then ignored: an author who writes <c>sheet: Formations</c> under
/// <c>kind: csv</c> believes it applies, so the loader refuses it at its line instead.
/// </summary>
internal static class SourceKeys
{
    private static readonly string[] Shared = ["kind", "demo", "schema", "limits"];

    /// <summary>Kind → the keys of <c>source</c> it reads (docs/sources.md). A derived dataset reads its parent's records only.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Read { get; } = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        ["csv"] = Set([.. Shared, "path", "encoding", "delimiter"]),
        ["xlsx"] = Set([.. Shared, "path", "sheet", "header_rows", "header_row"]),
        ["http-json"] = Set([.. Shared, "url", "items", "paging", "auth", "http", "nested"]),
        ["azure-blob"] = Set([.. Shared, "container", "blob", "connection_setting", "format", "service_version", "encoding", "delimiter", "sheet", "header_rows", "header_row"]),
        ["sirene"] = Set([.. Shared, "path", "filter"]),
        ["derived"] = Set(["kind", "from"]),
    };

    /// <summary>Kind → the keys of <c>source.limits</c> it reads (max_field_chars bounds every kind's cells, in the validator).</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Limits { get; } = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        ["csv"] = Set(["max_file_bytes", "max_rows", "max_field_chars", "max_record_bytes"]),
        ["xlsx"] = Set(["max_file_bytes", "max_rows", "max_field_chars"]),
        ["http-json"] = Set(["max_page_bytes", "max_pages", "max_rows", "max_field_chars"]),
        ["azure-blob"] = Set(["max_file_bytes", "max_rows", "max_field_chars", "max_record_bytes"]),
        ["sirene"] = Set(["max_file_bytes", "max_rows", "max_field_chars", "max_record_bytes"]),
        ["derived"] = Set([]),
    };

    /// <summary>
    /// What <c>source</c> and <c>source.limits</c> take with the file's <c>source.kind</c> (csv when
    /// absent); nothing narrowed when the kind is not one of <see cref="SourceFactory.Kinds"/> or not
    /// plain text: that mistake is reported on its own.
    /// </summary>
    public static IReadOnlyDictionary<string, KeyScope> Scopes(YamlMappingNode root)
    {
        var source = root.Children.TryGetValue(new YamlScalarNode("source"), out var node) ? node as YamlMappingNode : null;
        if (source is null)
        {
            return new Dictionary<string, KeyScope>();
        }

        var declared = source.Children.TryGetValue(new YamlScalarNode("kind"), out var kindNode);
        var kind = declared ? (kindNode as YamlScalarNode)?.Value : new SourceDefinition().Kind;
        if (kind is null || !Read.ContainsKey(kind))
        {
            return new Dictionary<string, KeyScope>();
        }

        var who = declared ? $"kind {kind}" : $"kind {kind} (the default: source.kind is not set)";
        const string instead = "remove it, or set the source.kind that reads it";
        return new Dictionary<string, KeyScope>(StringComparer.Ordinal)
        {
            ["source"] = new(who, Read[kind], key => ReadBy(Read, key), instead),
            ["source.limits"] = new(who, Limits[kind], key => ReadBy(Limits, key), instead),
        };
    }

    /// <summary>"kind xlsx or azure-blob": the kinds that read <paramref name="key"/>, in the order of <see cref="SourceFactory.Kinds"/>.</summary>
    private static string ReadBy(IReadOnlyDictionary<string, IReadOnlySet<string>> keys, string key)
    {
        var kinds = SourceFactory.Kinds.Where(k => keys[k].Contains(key)).ToList();
        return "kind " + (kinds.Count < 2 ? string.Concat(kinds) : $"{string.Join(", ", kinds[..^1])} or {kinds[^1]}");
    }

    private static HashSet<string> Set(string[] keys) => new(keys, StringComparer.Ordinal);
}
