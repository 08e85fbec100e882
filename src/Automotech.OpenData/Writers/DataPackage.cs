using System.Text.Json;
using System.Text.Json.Nodes;
using Automotech.OpenData.Pipelines;

namespace Automotech.OpenData.Writers;

/// <summary>A file of a version, as datapackage.json and releases.json describe it.</summary>
public sealed record DataFile(string Name, string Format, string MediaType, long Bytes, string Sha256);

/// <summary>
/// <c>datapackage.json</c> (Frictionless Data Package): the dataset's metadata, and one resource
/// per file with its size, sha256 and the Table Schema exactly as written in schema.json. Paths
/// are relative, so the same file is valid in the version folder and in <c>latest/</c>. It is
/// self-contained: the site renders a dataset's page from it alone.
/// </summary>
public static class DataPackage
{
    public const string FileName = "datapackage.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// What a package says about its dataset rather than about one version: every property but
    /// <c>version</c>, <c>created</c>, <c>resources</c> and <c>profile</c> (which follows the
    /// resources' formats). Contributors are read as this class writes them now, so that a package
    /// written before contributors kept to the profile (null <c>path</c> or <c>email</c>, the contact
    /// as role <c>contact</c>) says the same as one written since, and makes no version by itself.
    /// </summary>
    public static JsonObject? Metadata(JsonNode? package)
    {
        if (package is not JsonObject root)
        {
            return null;
        }

        var metadata = (JsonObject)root.DeepClone();
        metadata.Remove("version");
        metadata.Remove("created");
        metadata.Remove("resources");
        metadata.Remove("profile");
        if (metadata["contributors"] is JsonArray contributors)
        {
            foreach (var contributor in contributors.OfType<JsonObject>())
            {
                foreach (var name in contributor.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    contributor.Remove(name);
                }

                if (contributor["role"] is JsonValue role && role.TryGetValue<string>(out var text) && text == LegacyContactRole)
                {
                    contributor["role"] = ContactRole;
                }
            }
        }

        return metadata;
    }

    /// <summary>
    /// The contact's role: the Data Package profile knows five (publisher, author, maintainer,
    /// wrangler, contributor); the team to write to about the data is its maintainer. Packages
    /// published before said <see cref="LegacyContactRole"/>, which readers still accept.
    /// </summary>
    public const string ContactRole = "maintainer";

    /// <summary>The contact's role in packages published before it kept to the profile.</summary>
    public const string LegacyContactRole = "contact";

    /// <summary>
    /// Formats whose files are Tabular Data Resources: the CSV only. The v1 Tabular Data Resource
    /// says its data, if not inline, MUST be a CSV file, and datapackage-js reads every
    /// tabular-data-resource as a table (a Parquet one fails: "Tabular format "parquet" is not
    /// supported"). A Parquet file, and a GeoJSON FeatureCollection, are data-resources; they keep
    /// their Table Schema, which a Data Resource may have.
    /// </summary>
    private static bool IsTabular(string format) => format is "csv";

    public static byte[] Build(PipelineDefinition pipeline, string version, DateTimeOffset published, IReadOnlyList<DataFile> files)
    {
        var m = pipeline.Metadata;
        var package = new JsonObject
        {
            // A tabular-data-package holds Tabular Data Resources only: with a Parquet or GeoJSON file it is a data-package.
            ["profile"] = files.All(f => IsTabular(f.Format)) ? "tabular-data-package" : "data-package",
            ["name"] = pipeline.Id,
            ["title"] = m.Title,
            ["description"] = m.Description,
            ["version"] = version,
            ["created"] = PublicationTime.Iso(published),
            ["keywords"] = new JsonArray([.. m.Keywords.Select(k => (JsonNode)k)]),
            ["licenses"] = new JsonArray(new JsonObject { ["name"] = m.Licence.Id, ["title"] = m.Licence.Title, ["path"] = m.Licence.Url }),
            ["contributors"] = new JsonArray(
                Contributor(m.Publisher, "publisher"),
                Contributor(m.Contact, ContactRole)),
            ["spatial"] = m.Spatial,
            ["temporalStart"] = m.TemporalStart,
            ["updateFrequency"] = m.UpdateFrequency,
            ["demo"] = m.Demo,
            ["aggregate"] = pipeline.Aggregate is not null,
            ["keyFigures"] = new JsonArray([.. m.KeyFigures.Select(k => (JsonNode)new JsonObject
            {
                ["id"] = k.Id,
                ["label"] = k.Label,
                ["definition"] = k.Definition,
                ["where"] = new JsonObject(k.Where.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => KeyValuePair.Create(w.Key, (JsonNode?)w.Value))),
                ["column"] = k.Column,
                ["status"] = k.Status,
                ["unit"] = k.Unit,
            })]),
            ["resources"] = new JsonArray([.. UniqueNames([.. files.Select(f => Resource(pipeline, f))])]),
        };
        if (m.Charts is { } charts)
        {
            // Only when declared, as rowLabel: the pages of packages without it chart type_acteur.
            package["charts"] = new JsonArray([.. charts.Select(c => (JsonNode)new JsonObject
            {
                ["field"] = c.Field,
                ["title"] = c.Title,
                ["labels"] = new JsonObject(c.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
                ["order"] = c.Order,
            })]);
        }

        if (GeoFields(pipeline.Outputs) is { } geoFields)
        {
            // The fields the page's map and bars by département read, only those declared: a package
            // without the key, or without one of its properties, is read with the names every
            // dataset used before they could be declared (latitude, longitude, code_departement).
            package[GeoFieldsKey] = geoFields;
        }

        if (m.RowLabel is { } rowLabel)
        {
            // Only when declared: packages published before, and definitions without it, stay as they were.
            package["rowLabel"] = rowLabel;
        }

        // The same: only when declared, so that a dataset declaring neither keeps its packages (and
        // versions) as they were, and its catalogue entry (ECON, the whole region).
        if (DataThemes.Normalise(m.Themes) is { } themes)
        {
            package["themes"] = new JsonArray([.. themes.Select(t => (JsonNode)t)]);
        }

        if (m.SpatialDepartements is { } departements)
        {
            package["spatialDepartements"] = new JsonArray([.. departements.Distinct(StringComparer.Ordinal).Select(c => (JsonNode)c)]);
        }

        return JsonSerializer.SerializeToUtf8Bytes(package, Options);
    }

    /// <summary>The package's property naming the fields of the positions and départements (<see cref="GeoFields"/>).</summary>
    public const string GeoFieldsKey = "geoFields";

    /// <summary>
    /// <c>outputs.latitude</c>, <c>outputs.longitude</c> and <c>outputs.departement</c> as declared
    /// (<c>{ "latitude": "lat", "longitude": "lon", "departement": "dep" }</c>), or null when none is.
    /// </summary>
    private static JsonObject? GeoFields(OutputOptions outputs)
    {
        var declared = new[] { ("latitude", outputs.Latitude), ("longitude", outputs.Longitude), ("departement", outputs.Departement) }
            .Where(f => f.Item2 is not null)
            .Select(f => KeyValuePair.Create(f.Item1, (JsonNode?)f.Item2))
            .ToList();
        return declared.Count == 0 ? null : new JsonObject(declared);
    }

    /// <summary>
    /// Resource names must be unique in a package. Two partitions' slugs can meet ("2A" and "2a",
    /// "a b" and "a-20b"): each such name gets the first 8 hex digits of its path's sha256.
    /// </summary>
    private static IEnumerable<JsonNode> UniqueNames(IReadOnlyList<JsonObject> resources)
    {
        var clashing = resources.GroupBy(r => (string)r["name"]!, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            var name = (string)resource["name"]!;
            if (clashing.Contains(name))
            {
                var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes((string)resource["path"]!)));
                resource["name"] = $"{name}-{digest[..8]}";
            }

            yield return resource;
        }
    }

    /// <summary>A contributor as the profile wants it: its properties are strings, so one it lacks is left out rather than null.</summary>
    private static JsonObject Contributor(Organisation o, string role)
    {
        var contributor = new JsonObject { ["title"] = o.Name };
        if (o.Url is not null)
        {
            contributor["path"] = o.Url;
        }

        if (o.Email is not null)
        {
            contributor["email"] = o.Email;
        }

        contributor["role"] = role;
        return contributor;
    }

    private static JsonObject Resource(PipelineDefinition pipeline, DataFile file)
    {
        var resource = new JsonObject
        {
            ["name"] = file.Format == "csv" ? pipeline.Id : $"{pipeline.Id}-{file.Format}",
            ["path"] = file.Name,
            ["profile"] = IsTabular(file.Format) ? "tabular-data-resource" : "data-resource",
            ["format"] = file.Format,
            ["mediatype"] = file.MediaType,
            ["bytes"] = file.Bytes,
            ["hash"] = "sha256:" + file.Sha256,
        };
        if (file.Format == "csv")
        {
            resource["encoding"] = "utf-8";
            resource["dialect"] = new JsonObject { ["delimiter"] = ",", ["lineTerminator"] = "\r\n", ["header"] = true };
        }

        resource["schema"] = JsonNode.Parse(pipeline.SchemaJson);
        if (file.Name.Contains('/', StringComparison.Ordinal))
        {
            Partition(pipeline, file, resource);
        }

        return resource;
    }

    /// <summary>
    /// The file, beside <c>schema.json</c> in a version of a dataset with <c>outputs.partition_by</c>,
    /// holding the Table Schema of each part of its partitioned Parquet (<see cref="PartSchema"/>):
    /// what catalog.jsonld says a part conforms to, since a part does not hold the partition field.
    /// </summary>
    public const string PartSchemaFileName = "schema-partition.json";

    /// <summary>
    /// The Table Schema of a part of a Hive-partitioned output: schema.json without the partition
    /// field, which a part does not hold (its value is in the folder's name, as in Hive), nor in its
    /// primary key (within a part, the field is one value: the rest of the key stays unique).
    /// </summary>
    public static JsonObject PartSchema(string schemaJson, string field)
    {
        var schema = JsonNode.Parse(schemaJson)!.AsObject();
        var fields = schema["fields"]!.AsArray();
        foreach (var node in fields.Where(f => (string?)f!["name"] == field).ToList())
        {
            fields.Remove(node);
        }

        switch (schema["primaryKey"])
        {
            case JsonArray key:
                foreach (var node in key.Where(k => (string?)k == field).ToList())
                {
                    key.Remove(node);
                }

                break;
            case JsonValue single when single.TryGetValue<string>(out var name) && name == field:
                // A primary key of the partition field alone: within a part it is one value, no key.
                schema.Remove("primaryKey");
                break;
        }

        return schema;
    }

    /// <summary><see cref="PartSchema"/> as the file <see cref="PartSchemaFileName"/> holds it.</summary>
    public static byte[] PartSchemaFile(string schemaJson, string field) => JsonSerializer.SerializeToUtf8Bytes(PartSchema(schemaJson, field), Options);

    /// <summary>
    /// A part of a Hive-partitioned Parquet output (<c>id/field=value/part-0.parquet</c>) is a resource
    /// of its own: the Data Package's multi-part <c>path</c> array means files to concatenate, which
    /// Parquet files are not. Its schema lacks the partition field (held by the folder name, as in
    /// Hive); <c>partition</c> says which field and value the part holds.
    /// </summary>
    private static void Partition(PipelineDefinition pipeline, DataFile file, JsonObject resource)
    {
        var segment = file.Name.Split('/')[^2];
        var equals = segment.IndexOf('=', StringComparison.Ordinal);
        var field = segment[..equals];
        var value = Uri.UnescapeDataString(segment[(equals + 1)..]);
        var slug = new string([.. segment.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' ? c : '-')]);
        resource["name"] = $"{pipeline.Id}-{file.Format}-{slug}";
        resource["partition"] = new JsonObject
        {
            ["field"] = field,
            ["value"] = value == PartitionedParquetWriter.NullPartition ? null : value,
            ["hive"] = true,
        };
        resource["schema"] = PartSchema(pipeline.SchemaJson, pipeline.Outputs.PartitionBy ?? field);
    }
}
