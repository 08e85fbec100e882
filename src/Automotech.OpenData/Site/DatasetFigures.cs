namespace Automotech.OpenData.Site;

/// <summary>Counts and positions read from a dataset's CSV, for its charts and map.</summary>
public sealed class DatasetFigures
{
    /// <summary>Points drawn on the map at most (the counts use every row).</summary>
    public const int MaxPoints = 5000;

    public SortedDictionary<string, long> ByType { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, long> ByDepartement { get; } = new(StringComparer.Ordinal);

    public List<(double Latitude, double Longitude)> Points { get; } = [];

    /// <summary>The key figures declared in datapackage.json: id, label, definition, conditions.</summary>
    public List<(string Id, string Label, string Definition, List<(string Field, string Value)> Where)> KeyFigures { get; } = [];

    public long[] KeyFigureCounts { get; set; } = [];
}
