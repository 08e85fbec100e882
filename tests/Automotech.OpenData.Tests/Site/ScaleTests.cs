using System.Diagnostics;
using System.Text.RegularExpressions;
using Automotech.OpenData.Publishing;
using Automotech.OpenData.Releases;
using Automotech.OpenData.Site;
using Xunit.Abstractions;

namespace Automotech.OpenData.Tests.Site;

/// <summary>A large catalogue renders whole: Scriban's loop and output limits are set, never hit, nothing truncated.</summary>
public sealed class ScaleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_hundred_datasets_of_fifty_two_versions_render_without_truncation()
    {
        const int datasets = 200, versions = 52;
        var start = new DateTimeOffset(2025, 12, 1, 5, 0, 0, TimeSpan.Zero);
        var manifest = new ReleaseManifest();
        var pages = new List<DatasetPage>();
        for (var d = 0; d < datasets; d++)
        {
            var id = $"jeu-{d:D3}";
            var releases = new DatasetReleases { Id = id, Title = $"Jeu {d}" };
            for (var v = 0; v < versions; v++)
            {
                var published = start.AddDays(7 * v);
                releases.Versions.Add(new ReleaseVersion
                {
                    Version = published.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    Published = published,
                    Rows = 1000 + v,
                    Changes = v == 0 ? null : new ChangeSummary("x", 1, 0, 2),
                    Files = [new ReleaseFile { Name = id + ".csv", Path = $"datasets/{id}/x/{id}.csv", MediaType = "text/csv", Bytes = 1234, Sha256 = new string('a', 64) }],
                });
            }

            manifest.Datasets.Add(releases);
            var latest = releases.Latest!;
            pages.Add(new DatasetPage
            {
                Id = id, Title = $"Jeu de données n° {d}", Description = new string('d', 400), Keywords = ["a", "b"],
                LicenceTitle = "Licence Ouverte", LicenceUrl = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
                PublisherName = "Automotech", ContactName = "Contact", Spatial = "Occitanie", UpdateFrequency = "hebdomadaire", Demo = true,
                Version = latest.Version, LatestVersion = latest.Version, Published = "1er janvier", PublishedIso = PublicationTime.Iso(latest.Published),
                Rows = latest.Rows,
                Downloads = [new Download(id + ".csv", "csv", "text/csv", 1234, "1,2 Ko", new string('a', 64), $"latest/{id}.csv", $"{latest.Version}/{id}.csv")],
                Fields = Enumerable.Range(0, 30).Select(i => new DictionaryEntry($"champ_{i}", "string", "Titre", "Description", false, "")).ToList(),
                PreviewHeaders = Enumerable.Range(0, 30).Select(i => $"champ_{i}").ToList(),
                PreviewRows = Enumerable.Range(0, 10).Select(_ => (IReadOnlyList<string>)Enumerable.Range(0, 30).Select(i => $"valeur {i}").ToList()).ToList(),
                Versions = releases.Versions.AsEnumerable().Reverse().Select(x => new VersionEntry(x.Version, "date", x.Rows, x == latest, x.Changes)).ToList(),
                Validation = new ValidationSummary(), Privacy = new PrivacySummary(),
            });
        }

        using var temp = new TempFolder();
        var tree = new StagedTree(temp.Combine("tree"));
        var clock = Stopwatch.StartNew();
        await new SiteRenderer(null).RenderAsync(new SiteModel(pages), [], manifest, new Uri("https://opendata.automotech.example/"), tree, CancellationToken.None);
        clock.Stop();
        output.WriteLine($"Rendered {datasets} datasets × {versions} versions ({tree.Files().Count} files) in {clock.ElapsedMilliseconds} ms.");

        var index = File.ReadAllText(tree.LocalPath("index.html"));
        Assert.Equal(datasets, Regex.Count(index, "<li class=\"card\""));
        Assert.EndsWith("</html>\n", index, StringComparison.Ordinal);
        var last = File.ReadAllText(tree.LocalPath($"datasets/jeu-{datasets - 1:D3}/index.html"));
        Assert.Equal(versions, Regex.Count(last, "lignes(?: ;|\\s*\\(dernière\\)|</li>)"));
        Assert.EndsWith("</html>\n", last, StringComparison.Ordinal);
        var feed = File.ReadAllText(tree.LocalPath("feed.atom"));
        Assert.Equal(datasets * versions, Regex.Count(feed, "<entry>"));
        var catalog = File.ReadAllText(tree.LocalPath("catalog.jsonld"));
        Assert.Equal(datasets, Regex.Count(catalog, "\"@type\": \"dcat:Dataset\""));
    }
}
