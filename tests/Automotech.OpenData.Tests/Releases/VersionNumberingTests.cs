using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Tests.Releases;

public class VersionNumberingTests
{
    private static readonly DateOnly Day = new(2026, 11, 25);

    [Fact]
    public void First_release_of_the_day_is_the_date() => Assert.Equal("2026-11-25", VersionNumbering.Next(["2026-11-18"], Day));

    [Fact]
    public void Further_releases_that_day_are_numbered_from_2()
    {
        Assert.Equal("2026-11-25.2", VersionNumbering.Next(["2026-11-18", "2026-11-25"], Day));
        Assert.Equal("2026-11-25.3", VersionNumbering.Next(["2026-11-25", "2026-11-25.2"], Day));
        Assert.Equal("2026-11-25.11", VersionNumbering.Next(["2026-11-25", "2026-11-25.10", "2026-11-25.9"], Day));
    }

    [Fact]
    public void Manifest_round_trips_and_lists_datasets_in_id_order()
    {
        var manifest = new ReleaseManifest { Datasets = [new DatasetReleases { Id = "z" }, new DatasetReleases { Id = "a" }] };
        manifest.Find("a")!.Versions.Add(new ReleaseVersion { Version = "2026-11-25", Published = new DateTimeOffset(2026, 11, 25, 17, 0, 0, TimeSpan.Zero) });
        using var stream = new MemoryStream(manifest.ToUtf8Bytes());
        var back = ReleaseManifest.Parse(stream, "test");
        Assert.Equal(["a", "z"], back.Datasets.Select(d => d.Id));
        Assert.Equal("2026-11-25", back.Find("a")!.Latest!.Version);
    }

    [Fact]
    public void A_corrupt_manifest_stops_the_run_rather_than_being_overwritten()
    {
        using var stream = new MemoryStream("{ \"datasets\": [ oops"u8.ToArray());
        Assert.Throws<PipelineException>(() => ReleaseManifest.Parse(stream, "target"));
    }
}
