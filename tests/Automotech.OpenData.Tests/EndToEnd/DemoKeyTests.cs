using System.Text.Json;
using Automotech.OpenData.Tests.Sources;

namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>
/// The public demo key is for the bundled fictional file only. A production pipeline copied from
/// the bundled one keeps <c>source.demo: true</c> unless someone removes it; if the job's secret is
/// then missing (Anonymisation__Key empty), real pseudonyms must not be made with a public key.
/// </summary>
public sealed class DemoKeyTests
{
    [Fact]
    public async Task Another_file_published_under_a_pipeline_labelled_fictional_is_warned_about()
    {
        // Real data published with the bundled definition keep its "fictional" label on every
        // page; a journalist would discount real figures. Not refused (benchmarks and tests run
        // generated files that way), but said, in the log an operator reads (the built Worker's).
        using var temp = new TempFolder();
        var source = temp.Combine("export.csv");
        File.Copy(Repo.DemoSource, source);
        var (code, stdout, stderr) = await FailureTests.RunBuiltWorkerAsync(temp, ["validate", "--pipeline", "acteurs", "--source", source], [$"--Anonymisation:Key={new string('k', 40)}"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("acteurs: --source replaces the bundled file, but pipeline.yaml still says metadata.demo: true", stdout + stderr, StringComparison.Ordinal);

        (code, stdout, stderr) = await FailureTests.RunBuiltWorkerAsync(temp, ["validate", "--pipeline", "acteurs"], []);
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("--source replaces the bundled file", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_declared_demo_in_a_dataset_not_declared_fictional_needs_the_real_key()
    {
        using var temp = new TempFolder();
        var yaml = File.ReadAllText(Path.Combine(Repo.Pipelines, "acteurs", "pipeline.yaml"));
        var real = yaml.Replace("  demo: true\n", "  demo: false\n", StringComparison.Ordinal) // metadata: not fictional
            .Replace("path: ../../samples/acteurs-crm-demo.csv", $"path: {Repo.DemoSource}", StringComparison.Ordinal);
        Assert.Contains("  demo: true ", real, StringComparison.Ordinal); // source.demo left as copied
        temp.File("pipelines/acteurs/pipeline.yaml", real);
        temp.File("pipelines/acteurs/schema.json", File.ReadAllText(Path.Combine(Repo.Pipelines, "acteurs", "schema.json")));

        using var site = new DemoSite();
        Assert.Equal(1, await site.RunAsync("publish", "--pipeline", "acteurs", $"--Pipeline:Directory={temp.Combine("pipelines")}"));
        Assert.Contains("acteurs: Anonymisation:Key is not configured", site.Error, StringComparison.Ordinal);
        Assert.False(site.PublishedAnything);
    }

    [Fact]
    public async Task A_remote_source_declared_demo_needs_the_real_key()
    {
        var (header, rows) = SourceTestKit.DemoRows();
        await using var server = new TestHttpServer(r =>
        {
            var page = int.Parse(r.Query("p")!, System.Globalization.CultureInfo.InvariantCulture);
            var records = SourceTestKit.DemoRecords(header, rows, page);
            return TestHttpServer.Json(JsonSerializer.Serialize(new { records }));
        });
        using var temp = new TempFolder();
        var pipelines = SourceTestKit.ActeursWithSource(temp, $$"""
              kind: http-json
              url: {{server.Url}}acteurs
              items: records
              paging: { style: page, page_param: p, size_param: n, size: 100 }
            """);
        Assert.Contains("  demo: true", File.ReadAllText(Path.Combine(pipelines, "acteurs", "pipeline.yaml")), StringComparison.Ordinal);

        using var site = new DemoSite();
        Assert.Equal(1, await site.RunAsync("publish", "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}"));
        Assert.Contains("acteurs: Anonymisation:Key is not configured", site.Error, StringComparison.Ordinal);
        Assert.False(site.PublishedAnything);
    }
}
