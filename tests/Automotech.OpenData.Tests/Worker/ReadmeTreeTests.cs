using System.Text.RegularExpressions;
using Automotech.OpenData.Tests.EndToEnd;

namespace Automotech.OpenData.Tests.Worker;

/// <summary>
/// The README's block "The published tree" against the tree a publish of the demo writes: a
/// harvester or a script relies on those names.
/// </summary>
public sealed class ReadmeTreeTests(PublishDemoTests.Published published) : IClassFixture<PublishDemoTests.Published>
{
    /// <summary>The lines of the first code block under "## The published tree".</summary>
    private static readonly string[] Block = Regex.Match(
            File.ReadAllText(Path.Combine(Repo.Root, "README.md")),
            @"^## The published tree\n.*?^```\n(.*?)^```",
            RegexOptions.Multiline | RegexOptions.Singleline)
        .Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void The_root_holds_what_the_readme_lists_and_nothing_else()
    {
        Assert.Equal(0, published.ExitCode);
        // Each line's first column (its names before the blanks that start the description).
        var listed = Block.Where(line => !line.StartsWith(' '))
            .SelectMany(line => Regex.Split(line, " {2,}")[0].Split(", "))
            .Select(name => name.Split('/')[0] + (name.Contains('/', StringComparison.Ordinal) ? "/" : ""))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var root = Directory.EnumerateFileSystemEntries(published.Site.Site)
            .Select(entry => Path.GetFileName(entry) + (Directory.Exists(entry) ? "/" : ""))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(listed, root);
    }

    [Fact]
    public void A_version_folder_and_latest_hold_the_files_the_readme_lists()
    {
        Assert.Equal(0, published.ExitCode);
        // The file names of the version lines, <id> standing for the dataset (a name followed by
        // "for …" is optional: the GeoJSON of the datasets that declare it).
        // The next line says what a partitioned output adds.
        var start = Array.FindIndex(Block, line => line.StartsWith("datasets/<id>/<version>/", StringComparison.Ordinal));
        var names = Names(Block[start]);
        var partition = Block[start + 1];
        Assert.True(names.Count > 5, $"the README's version line lists no files: {Block[start]}");
        Assert.Contains("outputs.partition_by, <id>/<field>=<value>/part-0.parquet", partition, StringComparison.Ordinal);

        var datasets = Path.Combine(published.Site.Site, "datasets");
        foreach (var folder in Directory.EnumerateDirectories(datasets))
        {
            var id = Path.GetFileName(folder);
            var version = Directory.EnumerateDirectories(folder).Single(d => Path.GetFileName(d) != "latest");
            var files = Directory.EnumerateFiles(version).Select(Path.GetFileName).Select(f => f!.Replace(id + ".", "<id>.", StringComparison.Ordinal)).ToHashSet();
            var parts = Directory.EnumerateDirectories(version).Select(Path.GetFileName).ToList();
            var declared = names.Concat(parts.Count > 0 ? Names(partition) : [])
                .Where(n => !n.Optional || files.Contains(n.Name)).Select(n => n.Name).ToHashSet();
            Assert.True(declared.SetEquals(files), $"{id}: the README lists {string.Join(", ", declared.Order(StringComparer.Ordinal))}; its version folder holds {string.Join(", ", files.Order(StringComparer.Ordinal))}");
            Assert.True(parts.Count == 0 || parts.SequenceEqual([id]), $"{id}: partitions under {string.Join(", ", parts)}, not <id>/");

            // latest/: the version's files, and only those, but its page (the dataset's page is one level up).
            var latest = Directory.EnumerateFiles(Path.Combine(folder, "latest"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Path.Combine(folder, "latest"), f)).Order(StringComparer.Ordinal);
            var expected = Directory.EnumerateFiles(version, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(version, f)).Where(f => f != "index.html").Order(StringComparer.Ordinal);
            Assert.Equal(expected, latest);
            Assert.True(File.Exists(Path.Combine(folder, "index.html")), $"{id}: no dataset page datasets/<id>/index.html");
        }

        static List<(string Name, bool Optional)> Names(string line) =>
            Regex.Matches(line, @"(?<![\w/=<>.-])(<id>|[a-z-]+)\.(csv|parquet|geojson|json|html)\b( for \w+)?")
                .Select(m => (m.Groups[1].Value + "." + m.Groups[2].Value, m.Groups[3].Success))
                .ToList();
    }
}
