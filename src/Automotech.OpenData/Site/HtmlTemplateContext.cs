using System.Text.Encodings.Web;
using System.Text.Unicode;
using Scriban;
using Scriban.Parsing;

namespace Automotech.OpenData.Site;

/// <summary>HTML that the renderer built itself and vouches for: written without escaping.</summary>
public sealed record TrustedHtml(string Html)
{
    public override string ToString() => Html;
}

/// <summary>
/// The one escaping mechanism of the site: Scriban escapes nothing, so this context HTML-encodes
/// every value an expression writes (<c>{{ x }}</c>), quotes included, so values are safe in
/// text and in quoted attributes alike. Only <see cref="TrustedHtml"/> passes through as is.
/// Template text itself is written unchanged. An integer is written as French writes numbers
/// ("12 345", with a narrow no-break space between thousands), as the key figures are, so that one
/// count reads the same in the facts, the tables, the charts and the key figures; a decimal number
/// has a decimal comma and at most four decimals. Limits are set
/// deliberately: a large catalogue must fail loudly, never be truncated.
/// </summary>
internal sealed class HtmlTemplateContext : TemplateContext
{
    // Encodes < > & ' " (and controls); leaves letters of every script as they are, so French
    // text stays readable in the source.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public HtmlTemplateContext()
    {
        LoopLimit = 10_000_000;
        LimitToString = 0;
        OutputLimit = 0;
        RecursiveLimit = 100;
        StrictVariables = true;
    }

    public override TemplateContext Write(SourceSpan span, object? textAsObject) =>
        textAsObject switch
        {
            null => this,
            TrustedHtml trusted => Write(trusted.Html),
            int or long => Write(Encoder.Encode(KeyFigureFormat.Count(Convert.ToInt64(textAsObject, System.Globalization.CultureInfo.InvariantCulture)))),
            // A computed share (dominance_share * 100) in French, rounded as people read it: "57", never
            // "56.99999999999999"; "85,5", never "85.5".
            double or float or decimal => Write(Encoder.Encode(Convert.ToDouble(textAsObject, System.Globalization.CultureInfo.InvariantCulture).ToString("#,0.####", System.Globalization.CultureInfo.GetCultureInfo("fr-FR")))),
            _ => Write(Encoder.Encode(ObjectToString(textAsObject) ?? "")),
        };

    public override ValueTask<TemplateContext> WriteAsync(SourceSpan span, object? textAsObject) =>
        ValueTask.FromResult(Write(span, textAsObject));
}
