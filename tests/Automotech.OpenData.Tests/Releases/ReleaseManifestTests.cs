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
}
