using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json;
using Automotech.OpenData.Reference;

namespace Automotech.OpenData.Site;

/// <summary>
/// Charts and a map rendered at build time as inline SVG (no tiles, no script): bars of actors by
/// type and by département, and Occitanie's départements from the reference contours, shaded by
/// count, with the published positions (or outlined only, with the positions, for a dataset whose
/// rows are not counted by département). Text goes through XML escaping; colours are attributes,
/// not inline styles, so the Content-Security-Policy holds. An SVG with <c>role="img"</c> shows a
/// screen reader its name and description only, never the text drawn inside it: the
/// <c>&lt;desc&gt;</c> (<c>aria-describedby</c>) says every bar's or département's count.
/// </summary>
public static class Charts
{
    private static readonly Lazy<List<(string Code, string Name, List<List<(double X, double Y)>> Rings)>> Contours = new(LoadContours);
    private static readonly string[] Shades = ["#e8f1f8", "#bcd6ea", "#86b5d8", "#4f8fc0", "#1f5f96"];
    private const string NoneShade = "#f6f7f8";

    /// <summary>The départements' fill on a map without counts: white, none of the shades, so that no shape reads as counted.</summary>
    private const string OutlineFill = "#ffffff";

    /// <summary>A declared chart's bars at most: past it, the rest is drawn as one bar (« 11 autres valeurs »).</summary>
    public const int MaxBars = 30;

    /// <summary>
    /// Bars in the order given, each with its label. The labels' column widens for long labels (up
    /// to <see cref="MaxLabelWidth"/>, the chart with it), and a label still too long is written on
    /// two lines: a label drawn past the left edge was cut off, "Fabrication d'équipements
    /// électriques et électroniques automobiles" read as its last words. A line after the first
    /// starts with the space it was cut at, so that the label's text reads whole.
    /// </summary>
    public static TrustedHtml Bars(string title, IReadOnlyList<(string Label, long Count)> bars)
    {
        const int lineHeight = 16, barArea = 350, numbers = 60;
        var labelWidth = (int)Math.Clamp(Math.Ceiling((bars.Select(b => b.Label.Length).DefaultIfEmpty(0).Max() * CharWidth) + 12), 230, MaxLabelWidth);
        var width = labelWidth + barArea + numbers;
        var fits = (int)((labelWidth - 12) / CharWidth);
        var max = Math.Max(1, bars.Select(b => b.Count).DefaultIfEmpty(0).Max());
        var rows = bars.Select(b => (b.Label, Value: b.Count, Lines: Wrap(b.Label, fits))).ToList();
        var height = rows.Sum(r => RowHeight(r.Lines.Count)) + 10;
        var id = "c" + Math.Abs(StableHash(title)).ToString(CultureInfo.InvariantCulture);
        var svg = new StringBuilder();
        var description = string.Join(" ; ", rows.Select(r => $"{r.Label} : {KeyFigureFormat.Count(r.Value)}"));
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}\" aria-describedby=\"{id}d\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}\">{X(title)}</title><desc id=\"{id}d\">{X(description)}.</desc>");
        var y = 5;
        foreach (var (_, value, lines) in rows)
        {
            var rowHeight = RowHeight(lines.Count);
            var middle = y + (rowHeight / 2); // the bar, its number and the label's lines centred on it
            var w = barArea * value / (double)max;
            var first = middle + 4 - ((lines.Count - 1) * lineHeight / 2);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth - 6}\" y=\"{first}\" text-anchor=\"end\" font-size=\"13\" fill=\"#1b1f24\">");
            if (lines.Count == 1)
            {
                svg.Append(X(lines[0]));
            }
            else
            {
                for (var l = 0; l < lines.Count; l++)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<tspan x=\"{labelWidth - 6}\" dy=\"{(l == 0 ? 0 : lineHeight)}\">{(l == 0 ? "" : " ")}{X(lines[l])}</tspan>");
                }
            }

            svg.Append("</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{middle - 8}\" width=\"{w:F1}\" height=\"16\" fill=\"#005a9c\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + w + 6:F1}\" y=\"{middle + 4}\" font-size=\"13\" fill=\"#1b1f24\">{KeyFigureFormat.Count(value)}</text>");
            y += rowHeight;
        }

        return new TrustedHtml(svg.Append("</svg>").ToString());

        static int RowHeight(int lines) => 22 + ((lines - 1) * lineHeight);
    }

    /// <summary>The widest the labels' column of <see cref="Bars(string, IReadOnlyList{ValueTuple{string, long}})"/> gets.</summary>
    public const int MaxLabelWidth = 380;

    // About the widest a character of the 13-pixel sans-serif the pages use is on average (measured
    // in Chromium on the NAF labels: 6.2–6.6 px), rounded up.
    private const double CharWidth = 6.8;

    /// <summary>The label in lines of at most <paramref name="fits"/> characters, cut at spaces (a word longer than a line stays whole).</summary>
    internal static List<string> Wrap(string label, int fits)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in label.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > fits)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : "").Append(word);
        }

        lines.Add(line.ToString());
        return lines;
    }

    /// <summary>
    /// The départements shaded by count (<see cref="DatasetFigures.ByDepartement"/>), each with its
    /// count, and the positions drawn as points. A point outside the map's frame
    /// (<see cref="OutsideFrame"/>) is not drawn: its circle fell outside the viewBox, where no one
    /// saw it. <paramref name="points"/>, when given, ends the description, after the
    /// départements' counts (« 2 points hors du cadre de la carte, non dessinés »).
    /// </summary>
    public static TrustedHtml Map(string title, DatasetFigures figures, string? points = null) =>
        Draw(title, figures, shaded: true, points);

    /// <summary>
    /// The départements' outlines, unshaded and without counts, and the positions drawn as points:
    /// the map of a dataset whose rows are not counted by département. A point outside the map's
    /// frame (<see cref="OutsideFrame"/>) is not drawn. <paramref name="points"/> ends the
    /// description, after the départements drawn (« 3 positions publiées, dessinées en points »).
    /// </summary>
    public static TrustedHtml Outline(string title, DatasetFigures figures, string points) =>
        Draw(title, figures, shaded: false, points);

    /// <summary>The points of <paramref name="figures"/> outside the frame the maps draw (the box of Occitanie's départements), which neither map draws.</summary>
    public static int OutsideFrame(DatasetFigures figures) => figures.Points.Count(p => !InFrame(p.Latitude, p.Longitude));

    private static bool InFrame(double latitude, double longitude)
    {
        var (minX, maxX, minY, maxY) = Frame.Value;
        return longitude >= minX && longitude <= maxX && latitude >= minY && latitude <= maxY;
    }

    private static readonly Lazy<(double MinX, double MaxX, double MinY, double MaxY)> Frame = new(() =>
    {
        var all = Contours.Value.SelectMany(c => c.Rings).SelectMany(r => r).ToList();
        return (all.Min(p => p.X), all.Max(p => p.X), all.Min(p => p.Y), all.Max(p => p.Y));
    });

    /// <summary>The map, shaded or outlined; <paramref name="points"/>, when given, ends its description.</summary>
    private static TrustedHtml Draw(string title, DatasetFigures figures, bool shaded, string? points)
    {
        const int width = 640;
        var contours = Contours.Value;
        var (minX, maxX, minY, maxY) = Frame.Value;
        var k = Math.Cos((minY + maxY) / 2 * Math.PI / 180); // equirectangular, true at mid-latitude
        var scale = width / ((maxX - minX) * k);
        var height = (int)Math.Ceiling((maxY - minY) * scale);
        (double, double) Project(double lon, double lat) => ((lon - minX) * k * scale, (maxY - lat) * scale);
        var max = MaxCount(figures);
        var id = "m" + Math.Abs(StableHash(title)).ToString(CultureInfo.InvariantCulture);
        var svg = new StringBuilder();
        var description = string.Join(" ; ", new[]
        {
            shaded
                ? string.Join(" ; ", contours.Select(c => $"{c.Name} ({c.Code}) : {KeyFigureFormat.Count(figures.ByDepartement.GetValueOrDefault(c.Code))}"))
                : $"Contours des départements d'Occitanie, sans teinte ni décompte par département : {string.Join(", ", contours.Select(c => $"{c.Name} ({c.Code})"))}",
            points,
        }.OfType<string>());
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"map\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}\" aria-describedby=\"{id}d\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}\">{X(title)}</title><desc id=\"{id}d\">{X(description)}.</desc>");
        foreach (var (code, name, rings) in contours)
        {
            var count = figures.ByDepartement.GetValueOrDefault(code);
            var shade = shaded ? Shade(count, max) : OutlineFill;
            var path = new StringBuilder();
            foreach (var ring in rings)
            {
                for (var i = 0; i < ring.Count; i++)
                {
                    var (x, y) = Project(ring[i].X, ring[i].Y);
                    path.Append(i == 0 ? 'M' : 'L').Append(x.ToString("F1", CultureInfo.InvariantCulture)).Append(',').Append(y.ToString("F1", CultureInfo.InvariantCulture));
                }

                path.Append('Z');
            }

            var label = shaded ? $"{name} ({code}) : {KeyFigureFormat.Count(count)}" : $"{name} ({code})";
            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"{shade}\" stroke=\"#4a5560\" stroke-width=\"0.8\"><title>{X(label)}</title></path>");
        }

        foreach (var (lat, lon) in figures.Points)
        {
            if (!InFrame(lat, lon))
            {
                continue; // outside the frame: said in the description and the caption, not drawn
            }

            var (x, y) = Project(lon, lat);
            // Dark red (at least 3:1 on the light shades) ringed with white (at least 3:1 on the dark
            // ones): a translucent red vanished on the darkest shade, 1.2:1 (WCAG 1.4.11).
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{x:F1}\" cy=\"{y:F1}\" r=\"2.2\" fill=\"#9b1c1c\" stroke=\"#ffffff\" stroke-width=\"0.8\"/>");
        }

        // The counts are written on the shaded map only: on the outlines a number would read as one.
        foreach (var (code, _, rings) in contours.Where(_ => shaded))
        {
            var ring = rings.OrderByDescending(r => r.Count).First();
            var (x, y) = Project(ring.Average(p => p.X), ring.Average(p => p.Y));
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:F1}\" y=\"{y:F1}\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\" fill=\"#1b1f24\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">{KeyFigureFormat.Count(figures.ByDepartement.GetValueOrDefault(code))}</text>");
        }

        return new TrustedHtml(svg.Append("</svg>").ToString());
    }

    /// <summary>
    /// The map's legend: each shade with the counts it stands for, as <see cref="Shade"/> gives them
    /// from this version's largest count, and how many of the map's départements have it. Shade i of
    /// n holds the counts c with ⌊(n·c − 1) / max⌋ = i, from ⌊i·max / n⌋ + 1 to ⌊(i + 1)·max / n⌋;
    /// a shade no whole count reaches (when the largest count is under n) is left out, rather than
    /// shown with a range like « 1 à 0 ».
    /// </summary>
    public static IReadOnlyList<MapShade> Legend(DatasetFigures figures)
    {
        var max = MaxCount(figures);
        var counts = Contours.Value.Select(c => figures.ByDepartement.GetValueOrDefault(c.Code)).ToList();
        var legend = new List<MapShade> { new(NoneShade, KeyFigureFormat.Count(0), counts.Count(c => c == 0)) };
        for (var i = 0; i < Shades.Length; i++)
        {
            var (low, high) = ((i * max / Shades.Length) + 1, (i + 1) * max / Shades.Length);
            if (low <= high)
            {
                var range = low == high ? KeyFigureFormat.Count(low) : $"{KeyFigureFormat.Count(low)} à {KeyFigureFormat.Count(high)}";
                legend.Add(new MapShade(Shades[i], range, counts.Count(c => c >= low && c <= high)));
            }
        }

        return legend;
    }

    /// <summary>A département's shade: the lightest grey for none, else one of five blues in equal steps up to the largest count.</summary>
    internal static string Shade(long count, long max) =>
        count == 0 ? NoneShade : Shades[(int)Math.Min(Shades.Length - 1, (Shades.Length * count - 1) / max)];

    /// <summary>
    /// The largest count among the départements the map draws. A count from elsewhere (a dataset
    /// with rows outside Occitanie) once set the scale: every drawn département then took the
    /// lightest blues, and the legend's top shades stood for counts no drawn shape had.
    /// </summary>
    private static long MaxCount(DatasetFigures figures) =>
        Math.Max(1, Contours.Value.Select(c => figures.ByDepartement.GetValueOrDefault(c.Code)).DefaultIfEmpty(0).Max());

    /// <summary>The counts of the départements the map does not draw (outside Occitanie, or a code it does not know), by code.</summary>
    public static IReadOnlyList<KeyValuePair<string, long>> NotDrawn(DatasetFigures figures)
    {
        var drawn = Contours.Value.Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        return [.. figures.ByDepartement.Where(c => !drawn.Contains(c.Key) && c.Value > 0)];
    }

    private static string X(string text) => SecurityElement.Escape(text) ?? "";

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash == int.MinValue ? 0 : hash;
    }

    private static List<(string, string, List<List<(double X, double Y)>>)> LoadContours()
    {
        using var stream = ReferenceFiles.Open("departements-occitanie.geojson");
        using var doc = JsonDocument.Parse(stream);
        var result = new List<(string, string, List<List<(double, double)>>)>();
        foreach (var feature in doc.RootElement.GetProperty("features").EnumerateArray())
        {
            var properties = feature.GetProperty("properties");
            var geometry = feature.GetProperty("geometry");
            var polygons = geometry.GetProperty("type").GetString() == "Polygon"
                ? [geometry.GetProperty("coordinates")]
                : geometry.GetProperty("coordinates").EnumerateArray().ToList();
            var rings = polygons.SelectMany(p => p.EnumerateArray())
                .Select(ring => ring.EnumerateArray().Select(pt => (pt[0].GetDouble(), pt[1].GetDouble())).ToList())
                .ToList();
            result.Add((properties.GetProperty("code").GetString()!, properties.GetProperty("nom").GetString()!, rings));
        }

        return [.. result.OrderBy(r => r.Item1, StringComparer.Ordinal)];
    }
}

/// <summary>One shade of the map's legend: its colour, the counts it stands for ("1 à 17", in French figures), and how many départements have it.</summary>
public sealed record MapShade(string Fill, string Counts, int Departements);
