using Automotech.OpenData.Site;

namespace Automotech.OpenData.Tests.Site;

/// <summary>Templates are the user's: override one, the others keep working.</summary>
public sealed class TemplateOverrideTests
{
    [Fact]
    public void The_built_in_set_is_embedded_from_site_templates()
    {
        var files = Directory.EnumerateFiles(Repo.Templates, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repo.Templates, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        Assert.Equal(files, SiteRenderer.BuiltIn);
    }

    [Fact]
    public async Task Overriding_one_template_keeps_the_others()
    {
        using var site = new EndToEnd.DemoSite();
        var custom = site.Temp("my-templates");
        Directory.CreateDirectory(custom);
        var index = File.ReadAllText(Path.Combine(Repo.Templates, "index.html")).Replace("Catalogue des données ouvertes</h1>", "Notre catalogue régional</h1>", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(custom, "index.html"), index);
        Assert.Equal(0, await site.RunAsync("publish", $"--Site:Templates={custom}"));
        Assert.Contains("Notre catalogue régional</h1>", File.ReadAllText(site.Path("index.html")), StringComparison.Ordinal);
        Assert.Contains("Dictionnaire des données", File.ReadAllText(site.Path("datasets", "acteurs", "index.html")), StringComparison.Ordinal);
        Assert.True(File.Exists(site.Path("assets", "site.css")));
    }
}
