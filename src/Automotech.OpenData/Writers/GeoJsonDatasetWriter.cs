using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Automotech.OpenData.Writers;

/// <summary>
/// RFC 7946 GeoJSON: one FeatureCollection, one Feature per row, a Point at the row's published
/// position (longitude, latitude; WGS 84) or a null geometry when it has none, every published
/// field as a property typed as the schema says. Streamed: one batch in memory.
/// </summary>
public sealed class GeoJsonDatasetWriter : IDatasetWriter
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
    private readonly FileStream stream;
    private readonly Utf8JsonWriter json;
    private readonly string[] names;
    private readonly string[] types;
    private readonly int latitude;
    private readonly int longitude;

    public GeoJsonDatasetWriter(string path, TableSchema schema, string latitudeField, string longitudeField)
    {
        Path = path;
        names = [.. schema.FieldNames];
        types = [.. schema.Fields.Select(f => f.Type)];
        latitude = Array.IndexOf(names, latitudeField);
        longitude = Array.IndexOf(names, longitudeField);
        if (latitude < 0 || longitude < 0)
        {
            throw new PipelineException($"outputs.geojson: '{latitudeField}' and '{longitudeField}' must be published fields.");
        }

        stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = Encoder });
        json.WriteStartObject();
        json.WriteString("type", "FeatureCollection");
        json.WriteStartArray("features");
    }

    public string Path { get; }

    public async Task WriteAsync(ColumnBatch batch, CancellationToken cancellationToken)
    {
        for (var row = 0; row < batch.Count; row++)
        {
            json.WriteStartObject();
            json.WriteString("type", "Feature");
            if (batch.Get(row, longitude) is { } lon && batch.Get(row, latitude) is { } lat)
            {
                json.WriteStartObject("geometry");
                json.WriteString("type", "Point");
                json.WriteStartArray("coordinates");
                json.WriteRawValue(Number(lon));
                json.WriteRawValue(Number(lat));
                json.WriteEndArray();
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("geometry");
            }

            json.WriteStartObject("properties");
            for (var f = 0; f < names.Length; f++)
            {
                var value = batch.Get(row, f);
                if (value is null)
                {
                    json.WriteNull(names[f]);
                    continue;
                }

                switch (types[f])
                {
                    case "integer" or "number" or "year":
                        json.WritePropertyName(names[f]);
                        json.WriteRawValue(Number(value));
                        break;
                    case "boolean":
                        json.WriteBoolean(names[f], value == "true");
                        break;
                    default:
                        json.WriteString(names[f], value);
                        break;
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        await json.FlushAsync(cancellationToken);
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    /// <summary>The canonical number as JSON (validated upstream; parsed again so that nothing else can pass).</summary>
    private static string Number(string value) =>
        decimal.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await json.DisposeAsync();
        await stream.DisposeAsync();
    }
}
