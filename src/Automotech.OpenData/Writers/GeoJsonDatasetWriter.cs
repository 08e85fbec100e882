using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Automotech.OpenData.Writers;

/// <summary>
/// RFC 7946 GeoJSON: one FeatureCollection, one Feature per row, a Point at the row's published
/// position (longitude, latitude; WGS 84) or a null geometry when it has none, every published
/// field as a property typed as the schema says (a number always with a fraction, an integer or
/// year without, a date as ISO 8601 text: what GDAL types as Real, Integer and Date). Streamed:
/// one batch in memory.
/// </summary>
public sealed class GeoJsonDatasetWriter : IDatasetWriter
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);

    // Names and constant values encoded once, not for every feature.
    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type", Encoder);
    private static readonly JsonEncodedText Feature = JsonEncodedText.Encode("Feature", Encoder);
    private static readonly JsonEncodedText Geometry = JsonEncodedText.Encode("geometry", Encoder);
    private static readonly JsonEncodedText Point = JsonEncodedText.Encode("Point", Encoder);
    private static readonly JsonEncodedText Coordinates = JsonEncodedText.Encode("coordinates", Encoder);
    private static readonly JsonEncodedText Properties = JsonEncodedText.Encode("properties", Encoder);
    private readonly FileStream stream;
    private readonly Utf8JsonWriter json;
    private readonly JsonEncodedText[] names;
    private readonly string[] types;
    private readonly int latitude;
    private readonly int longitude;

    public GeoJsonDatasetWriter(string path, TableSchema schema, string latitudeField, string longitudeField)
    {
        Path = path;
        names = [.. schema.FieldNames.Select(n => JsonEncodedText.Encode(n, Encoder))];
        types = [.. schema.Fields.Select(f => f.Type)];
        latitude = schema.FieldNames.ToList().IndexOf(latitudeField);
        longitude = schema.FieldNames.ToList().IndexOf(longitudeField);
        if (latitude < 0 || longitude < 0)
        {
            throw new PipelineException($"outputs.geojson: '{latitudeField}' and '{longitudeField}' must be published fields.");
        }

        stream = PrivateFiles.Open(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
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
            json.WriteString(Type, Feature);
            if (batch.Get(row, longitude) is { } lon && batch.Get(row, latitude) is { } lat)
            {
                json.WriteStartObject(Geometry);
                json.WriteString(Type, Point);
                json.WriteStartArray(Coordinates);
                WriteNumber(lon, real: true);
                WriteNumber(lat, real: true);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull(Geometry);
            }

            json.WriteStartObject(Properties);
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
                    case "integer" or "year":
                        json.WritePropertyName(names[f]);
                        WriteNumber(value, real: false);
                        break;
                    case "number":
                        json.WritePropertyName(names[f]);
                        WriteNumber(value, real: true);
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

            // The writer holds what it has not flushed: flushed every 1 MiB, its buffer stays
            // small, instead of growing to a whole batch's features (about 9 MB per 10,000 rows).
            // (Every 64 KiB made fourteen times as many writes and a slower run: docs/benchmarks.md.)
            if (json.BytesPending >= FlushBytes)
            {
                await json.FlushAsync(cancellationToken);
            }
        }

        await json.FlushAsync(cancellationToken);
    }

    private const int FlushBytes = 1 << 20;

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// The canonical number as JSON (validated upstream; parsed again so that nothing else can
    /// pass), formatted into a stack buffer: a decimal's invariant text is always a valid JSON number.
    /// A <paramref name="real"/> one (a Table Schema number) always has a fraction, "22.0" for 22:
    /// GDAL, and so QGIS, types a property by the JSON it reads, and a number field whose values
    /// were all whole was read as Integer, then as Real the version one value was not.
    /// </summary>
    private void WriteNumber(string value, bool real)
    {
        Span<char> text = stackalloc char[64];
        if (!decimal.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture).TryFormat(text, out var length, provider: CultureInfo.InvariantCulture)
            || (real && length > text.Length - 2))
        {
            throw new InvalidOperationException($"A decimal's text is longer than {text.Length - 2} characters: '{value}'.");
        }

        if (real && !text[..length].Contains('.'))
        {
            text[length++] = '.';
            text[length++] = '0';
        }

        json.WriteRawValue(text[..length], skipInputValidation: true);
    }

    public async ValueTask DisposeAsync()
    {
        await json.DisposeAsync();
        await stream.DisposeAsync();
    }
}
