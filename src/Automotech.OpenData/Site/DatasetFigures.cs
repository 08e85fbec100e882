namespace Automotech.OpenData.Site;

/// <summary>Counts and positions read from a dataset's CSV, for its charts and map.</summary>
public sealed class DatasetFigures
{
    /// <summary>Points drawn on the map at most (the counts use every row).</summary>
    public const int MaxPoints = 5000;

    /// <summary>Rows with a position, drawn or not.</summary>
    public long Located { get; private set; }

    /// <summary>One located row in how many is drawn: 1, then doubled each time the points would exceed <see cref="MaxPoints"/>.</summary>
    public long Stride { get; private set; } = 1;

    /// <summary>
    /// Counts the next row with a position, and says whether its point is drawn: every position is
    /// kept up to <see cref="MaxPoints"/>; past it, every other kept point is dropped and the stride
    /// doubles, so that the points drawn are the rows at a regular interval over the whole file
    /// (deterministic, from one reading), never the file's first rows only, which a file sorted by
    /// place would show as a map of a few départements. Only the rows drawn need their position
    /// parsed (<see cref="AddPoint"/>): parsing every row's cost a quarter of the site's scan.
    /// </summary>
    public bool NextPosition() => Located++ % Stride == 0;

    /// <summary>The point of a row <see cref="NextPosition"/> said is drawn.</summary>
    public void AddPoint(double latitude, double longitude)
    {
        Points.Add((latitude, longitude));
        if (Points.Count > MaxPoints)
        {
            var kept = Points.Where((_, i) => i % 2 == 0).ToList();
            Points.Clear();
            Points.AddRange(kept);
            Stride *= 2;
        }
    }

    /// <summary>The charts declared in datapackage.json (or type_acteur's, for packages that declare none), with their counts.</summary>
    public List<ChartCounts> Charts { get; } = [];

    public SortedDictionary<string, long> ByDepartement { get; } = new(StringComparer.Ordinal);

    public List<(double Latitude, double Longitude)> Points { get; } = [];

    /// <summary>The key figures declared in datapackage.json.</summary>
    public List<KeyFigureDeclaration> KeyFigures { get; } = [];

    /// <summary>Per key figure: the count of matching rows, or the value read (null when secret or missing).</summary>
    public long?[] KeyFigureValues { get; set; } = [];

    /// <summary>Per key figure read from a column: the status found in its row.</summary>
    public string?[] KeyFigureStatus { get; set; } = [];
}

/// <summary>A key figure as datapackage.json declares it: a count of rows, or a column's value in the matching row.</summary>
public sealed record KeyFigureDeclaration(string Id, string Label, string Definition, List<(string Field, string Value)> Where, string? Column, string? Status, string Unit);

public static class KeyFigureFormat
{
    private static readonly System.Globalization.CultureInfo French = System.Globalization.CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>
    /// The exact figure, French-formatted ("10 696", "1 980 119 000 €"), the euro sign after a
    /// no-break space: a narrow card broke the line between the digits and their unit.
    /// </summary>
    public static string Exact(long value, string unit) =>
        Count(value) + (unit == "eur" ? "\u00A0€" : "");

    /// <summary>A count as French writes it, thousands apart ("10 696"): the one spelling of a number on every page, chart and feed.</summary>
    public static string Count(long value) => value.ToString("#,0", French);

    /// <summary>
    /// A count and its words, agreed as French agrees them: the singular for 0 and 1 ("1 ligne
    /// ajoutée", "0 retirée"), the plural from 2 ("2 modifiées").
    /// </summary>
    public static string Agreed(long value, string singular, string plural) =>
        $"{Count(value)} {(value is >= -1 and <= 1 ? singular : plural)}";

    /// <summary>
    /// A rounded reading for large amounts of euros ("≈ 1,98 Md€", its spaces no-break), or null.
    /// The unit is chosen after rounding: 999 960 000 € reads "≈ 1 Md€", never "≈ 1000 M€".
    /// </summary>
    public static string? Rounded(long value, string unit) => unit != "eur" ? null : value switch
    {
        _ when Math.Round(value / 1e6, 1, MidpointRounding.AwayFromZero) >= 1000 => $"≈\u00A0{(value / 1e9).ToString("#,0.##", French)}\u00A0Md€",
        >= 1_000_000 => $"≈\u00A0{(value / 1e6).ToString("0.#", French)}\u00A0M€",
        _ => null,
    };
}

/// <summary>A chart declared in datapackage.json (<c>charts</c>): the field counted, its heading, its bars' labels and order.</summary>
/// <param name="Undeclared">The chart a package that declares none is given (type_acteur's): builds before charts were declared (9143b2c, 2026-11-27) drew it with every value and no bar for the empty cells.</param>
public sealed record ChartDeclaration(string Field, string Title, IReadOnlyList<KeyValuePair<string, string>> Labels, string Order, bool Undeclared = false);

/// <summary>A declared chart's rows per published value of its field, and its rows with none.</summary>
public sealed class ChartCounts(ChartDeclaration declaration)
{
    public ChartDeclaration Declaration { get; } = declaration;

    public SortedDictionary<string, long> ByValue { get; } = new(StringComparer.Ordinal);

    /// <summary>Rows whose cell is empty: a bar of their own, so that the bars add up to the rows.</summary>
    public long Missing { get; set; }
}

/// <summary>The CSV columns of the map's positions and of the bars by département (datapackage.json's <c>geoFields</c>).</summary>
public sealed record GeoFields(string Latitude, string Longitude, string Departement);

/// <summary>
/// What a version's <c>datapackage.json</c> declares that its page counts in its CSV
/// (<see cref="DatasetPageBuilder.Declarations"/>): key figures, charts, the columns of the map and
/// of the bars by département, and whether its rows are an aggregate's (no charts, no map).
/// </summary>
/// <param name="Columns">The columns its first resource's schema declares (none when it has no schema): those its CSV can hold.</param>
public sealed record PageDeclarations(IReadOnlyList<KeyFigureDeclaration> KeyFigures, IReadOnlyList<ChartDeclaration> Charts, GeoFields Geo, bool Aggregate, IReadOnlyList<string> Columns)
{
    /// <summary>
    /// Whether its page counts anything in the CSV: a key figure, or (not an aggregate) a chart or
    /// the bars by département of a column its schema declares. Otherwise the page shows no count,
    /// and <c>verify</c> does not read the CSV again.
    /// </summary>
    public bool CountsAny => KeyFigures.Count > 0
        || (!Aggregate && (Charts.Any(c => Columns.Contains(c.Field, StringComparer.Ordinal)) || Columns.Contains(Geo.Departement, StringComparer.Ordinal)));

    /// <summary>Empty counts for these declarations, for one scan of the CSV to fill.</summary>
    internal DatasetFigures Figures()
    {
        var figures = new DatasetFigures();
        figures.KeyFigures.AddRange(KeyFigures);
        figures.Charts.AddRange(Charts.Select(c => new ChartCounts(c)));
        return figures;
    }
}

/// <summary>
/// What a version's page counts in its CSV, as <see cref="DatasetPageBuilder.Counts"/> recomputes
/// it: its key figures, its declared charts' bars (those drawn, in order) and its bars by
/// département (most rows first; the map's table shows the same counts by code). Empty when the
/// page shows none.
/// </summary>
public sealed record PageCounts(IReadOnlyList<KeyFigureValue> KeyFigures, IReadOnlyList<ChartBars> Charts, IReadOnlyList<DepartementCount> ByDepartement);

/// <summary>A declared chart as drawn: the column it counts, its heading, its bars.</summary>
public sealed record ChartBars(string Field, string Title, IReadOnlyList<ChartBar> Bars, bool Undeclared = false);

/// <summary>A bar: the value it counts in the CSV (null for the rest and for the empty cells), its label, its rows.</summary>
public sealed record ChartBar(string? Value, string Label, long Count);

/// <summary>A département's rows: its code in the CSV, its label (« Haute-Garonne (31) »), its count.</summary>
public sealed record DepartementCount(string Code, string Label, long Count);
