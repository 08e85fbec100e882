using System.Text.Json;
using System.Text.Json.Serialization;

namespace Automotech.OpenData.Releases;

/// <summary>
/// <c>releases.json</c>: every dataset, every version, every file with its size and sha256. It
/// is the only state carried from one run to the next (read back from the published target),
/// and it is written after the files it lists, so it never names a file that is not there.
/// </summary>
public sealed class ReleaseManifest
{
    public const string FileName = "releases.json";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public int FormatVersion { get; init; } = 1;

    public List<DatasetReleases> Datasets { get; init; } = [];

    public DatasetReleases? Find(string id) => Datasets.Find(d => string.Equals(d.Id, id, StringComparison.Ordinal));

    /// <summary>
    /// Reads releases.json as a publish does: a null where the manifest needs a value (a list, an
    /// entry of a list, a name: what is not declared nullable), which only a hand edit puts there
    /// (nulls are never written), is refused with where it is,
    /// as any other damage: the publish stops, exit 1, rather than meet it later as an internal error.
    /// </summary>
    public static ReleaseManifest Parse(Stream json, string origin)
    {
        ReleaseManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ReleaseManifest>(json, Json)
                ?? throw new PipelineException($"{origin}: {FileName} is empty.");
        }
        catch (JsonException e)
        {
            throw new PipelineException($"{origin}: {FileName} is not a valid release manifest (line {e.LineNumber + 1}: {e.Message}). Refusing to publish over it.", e);
        }

        if (FirstNull(manifest, "", new System.Reflection.NullabilityInfoContext()) is { } path)
        {
            throw new PipelineException($"{origin}: {FileName}: {path} is null, where the manifest needs a value. Refusing to publish over it.");
        }

        return manifest;
    }

    /// <summary>
    /// The path (<c>datasets[0].versions[2].files[1]</c>, <c>datasets[0].id</c>) of the first null
    /// anywhere in the manifest's objects where the member is not declared nullable, or where an
    /// entry of a list is null; null when there is none.
    /// </summary>
    private static string? FirstNull(object value, string path, System.Reflection.NullabilityInfoContext nullability)
    {
        foreach (var property in value.GetType().GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.IsDefined(typeof(JsonIgnoreAttribute), inherit: true))
            {
                continue;
            }

            var member = (path.Length == 0 ? "" : path + ".") + Json.PropertyNamingPolicy!.ConvertName(property.Name);
            switch (property.GetValue(value))
            {
                case null:
                    if (!property.PropertyType.IsValueType && nullability.Create(property).ReadState == System.Reflection.NullabilityState.NotNull)
                    {
                        return member;
                    }

                    break;
                case string or System.Collections.IDictionary:
                    break;
                case System.Collections.IList list:
                    for (var i = 0; i < list.Count; i++)
                    {
                        var entry = $"{member}[{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}]";
                        if (list[i] is null)
                        {
                            return entry;
                        }

                        if (IsOurs(list[i]!) && FirstNull(list[i]!, entry, nullability) is { } below)
                        {
                            return below;
                        }
                    }

                    break;
                case var child when IsOurs(child):
                    if (FirstNull(child, member, nullability) is { } inChild)
                    {
                        return inChild;
                    }

                    break;
            }
        }

        return null;

        static bool IsOurs(object o) => o.GetType().Namespace?.StartsWith("Automotech.OpenData", StringComparison.Ordinal) == true;
    }

    public byte[] ToUtf8Bytes()
    {
        var sorted = new ReleaseManifest
        {
            FormatVersion = FormatVersion,
            Datasets = [.. Datasets.OrderBy(d => d.Id, StringComparer.Ordinal)],
        };
        return JsonSerializer.SerializeToUtf8Bytes(sorted, Json);
    }
}

public sealed class DatasetReleases
{
    public string Id { get; init; } = "";

    public string Title { get; set; } = "";

    /// <summary>Oldest first; a version is only ever appended.</summary>
    public List<ReleaseVersion> Versions { get; init; } = [];

    [JsonIgnore]
    public ReleaseVersion? Latest => Versions.Count == 0 ? null : Versions[^1];

    /// <summary>The title a version was published with; the dataset's for a version listed before versions kept their own.</summary>
    public string TitleOf(ReleaseVersion version) => version.Title ?? Title;
}

public sealed class ReleaseVersion
{
    /// <summary>The run date (2026-11-25), then 2026-11-25.2 for a second release that day.</summary>
    public string Version { get; init; } = "";

    public DateTimeOffset Published { get; init; }

    /// <summary>
    /// The dataset's title when this version was published (what its datapackage.json says): its
    /// feed entry keeps it after a new title. Null in a releases.json written before it was kept.
    /// </summary>
    public string? Title { get; set; }

    /// <summary>Hash of the published content (data and schema): equal means nothing changed.</summary>
    public string Fingerprint { get; init; } = "";

    public long Rows { get; init; }

    public List<ReleaseFile> Files { get; init; } = [];

    public ValidationSummary Validation { get; init; } = new();

    public PrivacySummary Privacy { get; init; } = new();

    /// <summary>The changelog's counts (the details are in the version's changelog.json).</summary>
    public ChangeSummary? Changes { get; init; }
}

/// <summary>Rows added, removed and modified since the previous version (null for the first).</summary>
public sealed record ChangeSummary(string? Previous, long Added, long Removed, long Modified)
{
    /// <summary>The changelog's structural changes (<see cref="Changelog.Structure"/>), or null when the structure is the same (or was not compared).</summary>
    public List<StructureChange>? Structure { get; init; }
}

public sealed class ReleaseFile
{
    public string Name { get; init; } = "";

    /// <summary>Path in the published tree, from its root.</summary>
    public string Path { get; init; } = "";

    public string MediaType { get; init; } = "";

    public long Bytes { get; init; }

    public string Sha256 { get; init; } = "";
}

/// <summary>The public account of validation: counts by rule, never a value.</summary>
public sealed class ValidationSummary
{
    public long RowsRead { get; init; }

    public long RowsPublished { get; init; }

    public long RowsRejected { get; init; }

    public List<ErrorCount> Errors { get; init; } = [];

    /// <summary>Reported problems that did not reject their row.</summary>
    public List<ErrorCount> Warnings { get; init; } = [];
}

public sealed record ErrorCount(string Type, string Field, long Count);

/// <summary>The public account of anonymisation: what was done, and to how many rows.</summary>
public sealed class PrivacySummary
{
    public long NaturalPersonRows { get; init; }

    public List<string> DroppedFields { get; init; } = [];

    public bool DemoKey { get; init; }

    /// <summary>What each published field's rule does to protect people (pseudonymise, generalise, coarsen, scrub, withhold).</summary>
    public List<Anonymisation.PrivacyRule> Rules { get; init; } = [];

    /// <summary>Markers put in free text, by kind (courriel, telephone, iban, lien-personnel, date-naissance, nom); counts only.</summary>
    /// <remarks>In ordinal order, read back as written too (filled, not replaced, when deserialised).</remarks>
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public SortedDictionary<string, long> Scrubbed { get; init; } = new(StringComparer.Ordinal);

    /// <summary>k-anonymity of the natural persons' rows, when declared.</summary>
    public Anonymisation.KAnonymityReport? KAnonymity { get; init; }

    /// <summary>Statistical secret of an aggregate dataset.</summary>
    public Aggregation.SecretReport? Secret { get; init; }
}
