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

    /// <summary>
    /// A templates folder is files of a repository, where a symbolic link is one commit away: an
    /// asset or a template linked to <c>/proc/self/environ</c> (or any file of the machine) would
    /// publish the run's environment, its secrets with it. A link stops the run, naming it.
    /// </summary>
    [Theory]
    [InlineData("assets/config.txt")]
    [InlineData("assets/deep/er.css")]
    [InlineData("404.html")]
    public async Task A_symbolic_link_in_the_templates_folder_stops_the_run_and_publishes_nothing(string linked)
    {
        using var site = new EndToEnd.DemoSite();
        var outside = site.Temp("outside.txt");
        File.WriteAllText(outside, "Anonymisation__Key=fake-key-for-tests-only-not-a-secret");
        var custom = site.Temp("my-templates");
        var link = Path.Combine(custom, linked);
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, outside);

        Assert.Equal(1, await site.RunAsync("publish", $"--Site:Templates={custom}"));
        Assert.Contains($"{linked} is a symbolic link", site.Error.Replace('\\', '/'), StringComparison.Ordinal);
        Assert.NotEmpty(site.Log); // the run's log was read (the failure itself is said on standard error)
        Assert.DoesNotContain("fake-key", site.Output + site.Error + site.Log, StringComparison.Ordinal);
        Assert.False(Directory.Exists(site.Site) && Directory.EnumerateFiles(site.Site, "*", SearchOption.AllDirectories).Any(f => File.ReadAllText(f).Contains("fake-key", StringComparison.Ordinal)));
        Assert.False(File.Exists(site.Path("releases.json")));
    }

    [Fact]
    public async Task A_symbolic_link_to_a_folder_in_the_assets_stops_the_run()
    {
        using var site = new EndToEnd.DemoSite();
        var outside = site.Temp("outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "id_key.txt"), "fake-key-for-tests-only-not-a-secret");
        var custom = site.Temp("my-templates");
        Directory.CreateDirectory(Path.Combine(custom, "assets"));
        Directory.CreateSymbolicLink(Path.Combine(custom, "assets", "home"), outside);

        Assert.Equal(1, await site.RunAsync("publish", $"--Site:Templates={custom}"));
        Assert.Contains("assets/home is a symbolic link", site.Error.Replace('\\', '/'), StringComparison.Ordinal);
        Assert.False(File.Exists(site.Path("assets", "home", "id_key.txt")));
    }
}
