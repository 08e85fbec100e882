using System.Text.RegularExpressions;
using Automotech.OpenData.Publishing;
using Automotech.OpenData.Tests.EndToEnd;
using Automotech.OpenData.Tests.Publishing;

namespace Automotech.OpenData.Tests.Worker;

/// <summary>
/// What the tests of <c>verify</c> on the pages' text share (<see cref="VerifyFiguresTests"/>,
/// <see cref="VerifyCountsTests"/>): the demo published, its findings read, a page edited in place.
/// </summary>
internal static class PublishedPages
{
    public const string Version = "2026-11-25"; // DemoSite.RunTime, in Paris

    public const string VersionPageRemedy = "A version's page is never rewritten: delete it and publish again, which renders it from the version's published datapackage.json, CSV and changelog.json, as it renders any missing version page.";

    public static async Task<DemoSite> PublishedAsync()
    {
        var site = new DemoSite();
        Assert.Equal(0, await site.RunAsync("publish"));
        return site;
    }

    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static List<string> Findings(DemoSite site, string severity) => [.. Lines(site.Output).Where(l => l.StartsWith(severity + ": ", StringComparison.Ordinal))];

    /// <summary>Replaces the one occurrence of <paramref name="old"/> in a file of the tree.</summary>
    public static void Edit(DemoSite site, string path, string old, string replacement)
    {
        var file = site.Path(path.Split('/'));
        var text = File.ReadAllText(file);
        Assert.Single(Regex.Matches(text, Regex.Escape(old)));
        File.WriteAllText(file, text.Replace(old, replacement, StringComparison.Ordinal));
    }
}

/// <summary>Counts the reads of each path (verify reads through <see cref="IPublishTarget.ReadCurrentAsync"/>).</summary>
internal sealed class CountingTarget(IPublishTarget inner) : ForwardingTarget(inner)
{
    public Dictionary<string, int> Reads { get; } = new(StringComparer.Ordinal);

    public override Task<Stream?> ReadCurrentAsync(string path, CancellationToken cancellationToken)
    {
        lock (Reads)
        {
            Reads[path] = Reads.GetValueOrDefault(path) + 1;
        }

        return base.ReadCurrentAsync(path, cancellationToken);
    }
}
