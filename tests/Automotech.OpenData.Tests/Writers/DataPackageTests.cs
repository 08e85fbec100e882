using System.Text.Json.Nodes;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Writers;

namespace Automotech.OpenData.Tests.Writers;

public class DataPackageTests
{
    private static readonly DataFile[] ActeursFiles =
    [
        new("acteurs.csv", "csv", "text/csv", 1, "00"),
        new("acteurs.parquet", "parquet", "application/vnd.apache.parquet", 1, "00"),
        new("acteurs.geojson", "geojson", "application/geo+json", 1, "00"),
    ];

    /// <summary>
    /// A release published before contributors kept to the profile (every property written, null
    /// when absent; the contact as role "contact"; a tabular-data-package beside a GeoJSON; the
    /// Parquet file a tabular-data-resource, which v1 keeps for CSV files) says
    /// the same metadata as the package built now: the first run after the upgrade, with the same
    /// data, makes no version of its own.
    /// </summary>
    [Theory]
    [InlineData("acteurs")]
    [InlineData("sirene-automobile")]
    [InlineData("chiffres-cles")]
    public void A_package_published_before_says_the_same_metadata(string id)
    {
        var pipeline = PipelineLoader.LoadAll(Repo.Pipelines).Single(p => p.Id == id);
        var now = JsonNode.Parse(DataPackage.Build(pipeline, "2026-11-27", DateTimeOffset.UnixEpoch, ActeursFiles))!.AsObject();
        var before = now.DeepClone().AsObject();
        before["profile"] = "tabular-data-package";
        var parquet = before["resources"]!.AsArray().Single(r => (string?)r!["format"] == "parquet")!;
        Assert.Equal("data-resource", (string?)parquet["profile"]);
        parquet["profile"] = "tabular-data-resource";
        foreach (var contributor in before["contributors"]!.AsArray().Select(c => c!.AsObject()))
        {
            var (title, path, email, role) = ((string?)contributor["title"], (string?)contributor["path"], (string?)contributor["email"], (string?)contributor["role"]);
            contributor.Clear();
            contributor["title"] = title;
            contributor["path"] = path;
            contributor["email"] = email;
            contributor["role"] = role == DataPackage.ContactRole ? DataPackage.LegacyContactRole : role;
        }

        Assert.Contains("\"email\": null", before.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(DataPackage.Metadata(before), DataPackage.Metadata(now)));

        // A real change still shows.
        before["contributors"]![1]!["email"] = "ancienne@automotech.example";
        Assert.False(JsonNode.DeepEquals(DataPackage.Metadata(before), DataPackage.Metadata(now)));
    }
}
