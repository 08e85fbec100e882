using Automotech.OpenData.Site;
using Scriban;
using Scriban.Runtime;

namespace Automotech.OpenData.Tests.Site;

public class HtmlEscapingTests
{
    private static string Render(string template, object model)
    {
        var globals = new ScriptObject();
        globals.Import(model, null, null);
        var context = new HtmlTemplateContext();
        context.PushGlobal(globals);
        return Template.Parse(template).Render(context);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("\" onmouseover=\"alert(1)", "&quot; onmouseover=&quot;alert(1)")]
    [InlineData("</textarea><img src=x onerror=alert(1)>", "&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt;")]
    [InlineData("&lt;b&gt;", "&amp;lt;b&amp;gt;")]
    [InlineData("l'atelier", "l&#x27;atelier")]
    [InlineData("Sévérac « Électronique »", "Sévérac « Électronique »")]
    public void Every_value_is_html_encoded(string value, string expected) =>
        Assert.Equal($"<p title=\"{expected}\">{expected}</p>", Render("<p title=\"{{ v }}\">{{ v }}</p>", new { V = value }));

    [Fact]
    public void Values_inside_loops_and_members_are_encoded_too() =>
        Assert.Equal("&lt;a&gt;;&lt;b&gt;;", Render("{{ for x in items }}{{ x.name }};{{ end }}", new { Items = new[] { new { Name = "<a>" }, new { Name = "<b>" } } }));

    [Fact]
    public void Only_trusted_html_passes_unescaped() =>
        Assert.Equal("<b>ok</b>&lt;b&gt;", Render("{{ t }}{{ u }}", new { T = new TrustedHtml("<b>ok</b>"), U = "<b>" }));

    [Fact]
    public void The_context_lifts_the_limits_that_would_truncate_a_large_catalogue()
    {
        var items = Enumerable.Range(0, 5000).Select(i => new string('x', 300)).ToArray();
        var html = Render("{{ for x in items }}{{ x }}\n{{ end }}", new { Items = items });
        Assert.Equal(5000 * 301, html.Length);
        Assert.DoesNotContain("...", html, StringComparison.Ordinal);
    }
}
