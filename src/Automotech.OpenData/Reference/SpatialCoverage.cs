using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace Automotech.OpenData.Reference;

/// <summary>
/// The bounding box of a dataset's spatial coverage (<c>metadata.spatial_departements</c>: some
/// départements of Occitanie, or, undeclared, the whole region), computed from the département
/// contours embedded from <c>reference/departements-occitanie.geojson</c>.
/// </summary>
public static class SpatialCoverage
{
    private static readonly Lazy<FrozenDictionary<string, Box>> Boxes = new(Load);

    /// <summary>A longitude/latitude box (WGS84).</summary>
    public readonly record struct Box(double MinX, double MinY, double MaxX, double MaxY)
    {
        public Box Union(Box other) => new(Math.Min(MinX, other.MinX), Math.Min(MinY, other.MinY), Math.Max(MaxX, other.MaxX), Math.Max(MaxY, other.MaxY));

        /// <summary>The box as a WKT polygon, longitude first, 5 decimals (about a metre), as <c>dcat:bbox</c> takes it.</summary>
        public string Wkt() =>
            $"POLYGON(({F(MinX)} {F(MinY)}, {F(MaxX)} {F(MinY)}, {F(MaxX)} {F(MaxY)}, {F(MinX)} {F(MaxY)}, {F(MinX)} {F(MinY)}))";

        /// <summary>
        /// The box as schema.org's <c>GeoShape</c> <c>box</c> takes it: two points separated by a space,
        /// the lower (south-west) corner first, then the upper (north-east) one, each point latitude
        /// first: "south west north east", with the 5 decimals of <see cref="Wkt"/>.
        /// </summary>
        public string SchemaOrgBox() => $"{F(MinY)} {F(MinX)} {F(MaxY)} {F(MaxX)}";

        private static string F(double v) => v.ToString("F5", CultureInfo.InvariantCulture);
    }

    /// <summary>The codes of the départements whose contours are known, in order.</summary>
    public static IReadOnlyList<string> Departements => [.. Boxes.Value.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// The WKT box of the départements <paramref name="codes"/> (each a code of
    /// <see cref="Departements"/>), or of the whole region when <paramref name="codes"/> is null or empty.
    /// </summary>
    public static string BoundingBox(IReadOnlyCollection<string>? codes) => Of(codes).Wkt();

    /// <summary>
    /// The box of the départements <paramref name="codes"/> (each a code of <see cref="Departements"/>),
    /// or of the whole region when <paramref name="codes"/> is null or empty.
    /// </summary>
    public static Box Of(IReadOnlyCollection<string>? codes)
    {
        var boxes = Boxes.Value;
        var selected = codes is { Count: > 0 } ? codes.Select(c => boxes[c]) : boxes.Values;
        return selected.Aggregate((a, b) => a.Union(b));
    }

    private static FrozenDictionary<string, Box> Load()
    {
        using var stream = ReferenceFiles.Open("departements-occitanie.geojson");
        using var doc = JsonDocument.Parse(stream);
        var boxes = new Dictionary<string, Box>(StringComparer.Ordinal);
        foreach (var feature in doc.RootElement.GetProperty("features").EnumerateArray())
        {
            var code = feature.GetProperty("properties").GetProperty("code").GetString()!;
            Box? box = null;
            Walk(feature.GetProperty("geometry").GetProperty("coordinates"), ref box);
            boxes[code] = boxes.TryGetValue(code, out var known) ? known.Union(box!.Value) : box!.Value;
        }

        return boxes.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static void Walk(JsonElement e, ref Box? box)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        if (e.GetArrayLength() >= 2 && e[0].ValueKind == JsonValueKind.Number)
        {
            var (x, y) = (e[0].GetDouble(), e[1].GetDouble());
            var point = new Box(x, y, x, y);
            box = box is { } b ? b.Union(point) : point;
            return;
        }

        foreach (var child in e.EnumerateArray())
        {
            Walk(child, ref box);
        }
    }
}
