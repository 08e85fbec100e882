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

    public static byte[] Build(PipelineDefinition pipeline, string version, DateTimeOffset published, IReadOnlyList<DataFile> files)
    {
        var m = pipeline.Metadata;
        var package = new JsonObject
        {
            ["profile"] = "tabular-data-package",
            ["name"] = pipeline.Id,
            ["title"] = m.Title,
            ["description"] = m.Description,
            ["version"] = version,
            ["created"] = PublicationTime.Iso(published),
            ["keywords"] = new JsonArray([.. m.Keywords.Select(k => (JsonNode)k)]),
            ["licenses"] = new JsonArray(new JsonObject { ["name"] = m.Licence.Id, ["title"] = m.Licence.Title, ["path"] = m.Licence.Url }),
            ["contributors"] = new JsonArray(
                Contributor(m.Publisher, "publisher"),
                Contributor(m.Contact, "contact")),
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
            ["resources"] = new JsonArray([.. files.Select(f => (JsonNode)Resource(pipeline, f))]),
        };
        return JsonSerializer.SerializeToUtf8Bytes(package, Options);
    }

    private static JsonObject Contributor(Organisation o, string role) => new()
    {
        ["title"] = o.Name,
        ["path"] = o.Url,
        ["email"] = o.Email,
        ["role"] = role,
    };

    private static JsonObject Resource(PipelineDefinition pipeline, DataFile file)
    {
        var resource = new JsonObject
        {
            ["name"] = file.Format == "csv" ? pipeline.Id : $"{pipeline.Id}-{file.Format}",
            ["path"] = file.Name,
            ["profile"] = "tabular-data-resource",
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
        return resource;
    }
}
