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
}
