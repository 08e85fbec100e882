using System.Globalization;
using System.Text.RegularExpressions;
using Automotech.OpenData.Site;

namespace Automotech.OpenData.Tests.Site;

/// <summary>
/// WCAG 1.4.11 (non-text contrast): a published position drawn on the map stays visible on every
/// shade a département can take, for a low-vision reader too: its fill (blended at its opacity) or
/// its outline contrasts at least 3:1 with the shade beneath.
/// </summary>
public sealed partial class MapContrastTests
{
    [Fact]
    public void A_point_contrasts_at_least_3_to_1_with_every_shade_of_the_map()
    {
        var figures = new DatasetFigures();
        var counts = new[] { ("09", 1L), ("11", 2L), ("12", 3L), ("30", 4L), ("31", 5L) };
        foreach (var (code, count) in counts)
        {
            figures.ByDepartement[code] = count; // one département per shade, the darkest included
        }

        figures.AddPoint(43.6, 1.44);
        var svg = Charts.Map("Carte", figures).Html;
        var shades = PathFill().Matches(svg).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.True(shades.Count >= 5, string.Join(", ", shades));
        var circle = Circle().Match(svg).Value;
        Assert.NotEmpty(circle);
        var fill = Attribute(circle, "fill")!;
        var opacity = double.Parse(Attribute(circle, "fill-opacity") ?? "1", CultureInfo.InvariantCulture);
        var stroke = Attribute(circle, "stroke");
        foreach (var shade in shades)
        {
            var best = Contrast(Blend(fill, opacity, shade), Rgb(shade));
            if (stroke is not null)
            {
                best = Math.Max(best, Contrast(Rgb(stroke), Rgb(shade)));
            }

            Assert.True(best >= 3, $"a point on {shade}: {best:F2}:1");
        }
    }

    private static string? Attribute(string element, string name)
    {
        var match = Regex.Match(element, $"\\s{name}=\"([^\"]*)\"");
        return match.Success ? match.Groups[1].Value : null;
    }

    private static (double R, double G, double B) Rgb(string hex) =>
        (Convert.ToInt32(hex[1..3], 16), Convert.ToInt32(hex[3..5], 16), Convert.ToInt32(hex[5..7], 16));

    private static (double R, double G, double B) Blend(string fill, double opacity, string under)
    {
        var (f, u) = (Rgb(fill), Rgb(under));
        return ((opacity * f.R) + ((1 - opacity) * u.R), (opacity * f.G) + ((1 - opacity) * u.G), (opacity * f.B) + ((1 - opacity) * u.B));
    }

    private static double Luminance((double R, double G, double B) c)
    {
        static double Linear(double v) => (v /= 255) <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
        return (0.2126 * Linear(c.R)) + (0.7152 * Linear(c.G)) + (0.0722 * Linear(c.B));
    }

    private static double Contrast((double R, double G, double B) a, (double R, double G, double B) b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    [GeneratedRegex("<path [^>]*fill=\"(#[0-9a-f]{6})\"")]
    private static partial Regex PathFill();

    [GeneratedRegex("<circle [^>]*/>")]
    private static partial Regex Circle();
}
