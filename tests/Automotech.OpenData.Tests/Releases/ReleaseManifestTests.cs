using System.Globalization;
using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Tests.Releases;

public class ReleaseManifestTests
{
    [Fact]
    public void Scrubbed_counts_read_back_keep_ordinal_order_whatever_the_machines_culture()
    {
        // releases.json is read back and written again by every run: the privacy summary's
        // counts must come out in the order they went in, not in the publishing machine's
        // culture's (ICU puts "code_a" before "codeB"; ordinal order after).
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en-US");
        try
        {
            var written = new ReleaseManifest
            {
                Datasets =
                [
                    new DatasetReleases
                    {
                        Id = "acteurs",
                        Versions = [new ReleaseVersion { Version = "2026-11-27", Privacy = new PrivacySummary { Scrubbed = new(StringComparer.Ordinal) { ["codeB"] = 1, ["code_a"] = 2 } } }],
                    },
                ],
            };

            using var json = new MemoryStream(written.ToUtf8Bytes());
            var read = ReleaseManifest.Parse(json, "test");

            var scrubbed = read.Datasets[0].Versions[0].Privacy.Scrubbed;
            Assert.Equal(["codeB", "code_a"], scrubbed.Keys);
            Assert.Equal(written.ToUtf8Bytes(), read.ToUtf8Bytes());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void A_manifest_written_before_versions_had_their_own_title_reads_and_feeds_the_datasets_title()
    {
        const string old = """
            {
              "formatVersion": 1,
              "datasets": [
                {
                  "id": "acteurs",
                  "title": "Acteurs",
                  "versions": [
                    { "version": "2026-11-25", "published": "2026-11-25T16:30:00+00:00", "fingerprint": "f1", "rows": 2, "files": [] },
                    { "version": "2026-12-02", "published": "2026-12-02T16:30:00+00:00", "fingerprint": "f2", "rows": 3, "files": [] }
                  ]
                }
              ]
            }
            """;
        using var json = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(old));
        var manifest = ReleaseManifest.Parse(json, "test");
        Assert.Equal(2, manifest.Find("acteurs")!.Versions.Count);

        var feed = System.Xml.Linq.XDocument.Parse(System.Text.Encoding.UTF8.GetString(
            OpenData.Site.Feeds.Atom(new Uri("https://opendata.automotech.example/"), new OpenData.Site.SiteModel([]), manifest)));
        System.Xml.Linq.XNamespace atom = "http://www.w3.org/2005/Atom";
        Assert.Equal(
            ["Acteurs — version 2026-12-02", "Acteurs — version 2026-11-25"],
            feed.Root!.Elements(atom + "entry").Select(e => e.Element(atom + "title")!.Value));
    }

    [Theory]
    [InlineData("datasets", "null", "releases.json: datasets is null")]
    [InlineData("dataset", "null", "datasets[0]")]
    [InlineData("versions", "null", "releases.json: datasets[0].versions is null")]
    [InlineData("version", "null", "datasets[0].versions[0]")]
    [InlineData("files", "null", "releases.json: datasets[0].versions[0].files is null")]
    [InlineData("file", "null", "datasets[0].versions[0].files[0]")]
    [InlineData("id", "null", "releases.json: datasets[0].id is null")]
    [InlineData("errors", "[null]", "datasets[0].versions[0].validation.errors[0]")]
    [InlineData("droppedFields", "[null]", "datasets[0].versions[0].privacy.droppedFields[0]")]
    public void A_null_edited_into_releases_json_is_refused_with_where_it_is_not_an_internal_error(string member, string value, string named)
    {
        // A releases.json edited by hand with null where a list, an entry or a name goes stopped
        // publish with exit 70, an internal error (a NullReferenceException in Find, an
        // ArgumentNullException further on), instead of the clear refusal a damaged manifest gets.
        var valid = new ReleaseManifest
        {
            Datasets =
            [
                new DatasetReleases
                {
                    Id = "acteurs",
                    Versions =
                    [
                        new ReleaseVersion
                        {
                            Version = "2026-11-27",
                            Files = [new ReleaseFile { Name = "acteurs.csv", Path = "datasets/acteurs/2026-11-27/acteurs.csv", Sha256 = new string('0', 64) }],
                            Validation = new ValidationSummary { Errors = [new ErrorCount("required", "siret", 1)] },
                            Privacy = new PrivacySummary { DroppedFields = ["adresse"] },
                        },
                    ],
                },
            ],
        };
        var node = System.Text.Json.Nodes.JsonNode.Parse(valid.ToUtf8Bytes())!;
        var version = node["datasets"]![0]!["versions"]![0]!;
        var edited = System.Text.Json.Nodes.JsonNode.Parse(value);
        switch (member)
        {
            case "datasets": node["datasets"] = edited; break;
            case "dataset": node["datasets"]![0] = edited; break;
            case "versions": node["datasets"]![0]!["versions"] = edited; break;
            case "version": node["datasets"]![0]!["versions"]![0] = edited; break;
            case "files": version["files"] = edited; break;
            case "file": version["files"]![0] = edited; break;
            case "id": node["datasets"]![0]!["id"] = edited; break;
            case "errors": version["validation"]!["errors"] = edited; break;
            case "droppedFields": version["privacy"]!["droppedFields"] = edited; break;
        }

        using var json = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(node.ToJsonString()));
        var refused = Assert.Throws<PipelineException>(() => ReleaseManifest.Parse(json, "out/site"));

        Assert.StartsWith("out/site: releases.json", refused.Message, StringComparison.Ordinal);
        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("Refusing to publish over it.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_without_nulls_reads_back_as_written()
    {
        var written = new ReleaseManifest
        {
            Datasets = [new DatasetReleases { Id = "acteurs", Versions = [new ReleaseVersion { Version = "2026-11-27", Files = [new ReleaseFile { Name = "a.csv", Path = "p/a.csv", Sha256 = new string('0', 64) }] }] }],
        };

        using var json = new MemoryStream(written.ToUtf8Bytes());
        Assert.Equal(written.ToUtf8Bytes(), ReleaseManifest.Parse(json, "out/site").ToUtf8Bytes());
    }
}
