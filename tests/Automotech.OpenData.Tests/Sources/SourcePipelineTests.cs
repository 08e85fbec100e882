using System.Text.Json;

namespace Automotech.OpenData.Tests.Sources;

/// <summary>
/// The new kinds end to end, through the worker as the CLI runs it: a pipeline declaring them
/// publishes exactly what the CSV sample publishes, and a source that fails publishes nothing.
/// </summary>
public sealed class SourcePipelineTests
{
    [Fact]
    public async Task An_http_api_publishes_the_demo_and_a_failing_api_publishes_nothing()
    {
        var expected = await SourceTestKit.PublishedFromCsvAsync();
        var (header, rows) = SourceTestKit.DemoRows();
        var token = "tok-" + Guid.NewGuid().ToString("N");
        var setting = "Sources:T" + Guid.NewGuid().ToString("N") + ":Token";
        var failing = false;
        var failFromPage = int.MaxValue;
        await using var server = new TestHttpServer(r =>
        {
            if (failing)
            {
                return new TestHttpServer.Reply(500);
            }

            if (r.Headers.GetValueOrDefault("Authorization") != $"Bearer {token}")
            {
                return new TestHttpServer.Reply(401);
            }

            // 100 records a page, each a JSON object keyed by the CSV's header, empty cells as null.
            var page = int.Parse(r.Query("p")!, System.Globalization.CultureInfo.InvariantCulture);
            if (page >= failFromPage)
            {
                return new TestHttpServer.Reply(500);
            }

            var records = SourceTestKit.DemoRecords(header, rows, page);
            return TestHttpServer.Json(JsonSerializer.Serialize(new { result = new { records } }));
        });
        using var temp = new TempFolder();
        var pipelines = SourceTestKit.ActeursWithSource(temp, $"""
              kind: http-json
              url: {server.Url}acteurs?api_key=SECRET-IN-QUERY
              items: result.records
              paging: {"{"} style: page, page_param: p, size_param: n, size: 100 {"}"}
              auth: {"{"} bearer_token_setting: "{setting}" {"}"}
              http: {"{"} timeout_seconds: 5, max_retries: 2, retry_delay_seconds: 0.01 {"}"}
            """);
        using var site = new EndToEnd.DemoSite();
        string[] args = ["publish", "--pipeline", "acteurs", $"--Pipeline:Directory={pipelines}", $"--Anonymisation:Key={new string('k', 40)}"];

        // The token comes from the environment, as CI would give it (Sources__…__Token).
        var variable = setting.Replace(":", "__", StringComparison.Ordinal);
        Environment.SetEnvironmentVariable(variable, token);
        try
        {
            Assert.Equal(0, await site.RunAsync(args));
            Assert.Equal(expected, File.ReadAllBytes(site.Path("datasets", "acteurs", "latest", "acteurs.csv")));
            Assert.Equal(4, server.Requests.Count); // 250 records: pages of 100, 100, 50, then an empty one
            var before = site.Snapshot();

            failing = true;
            site.Clock.Advance(TimeSpan.FromDays(7));
            Assert.Equal(1, await site.RunAsync(args));
            Assert.Equal($"error: {server.Url}acteurs (page 1): HTTP 500 Internal Server Error after 3 attempt(s). Nothing is published.", site.Error.Trim());
            Assert.Equal(before, site.Snapshot());
            Assert.Contains("HTTP 500", site.Log, StringComparison.Ordinal); // the retries and the failure are in the log
            Assert.DoesNotContain(token, site.Output + site.Error + site.Log, StringComparison.Ordinal);
            Assert.DoesNotContain("SECRET-IN-QUERY", site.Output + site.Error + site.Log, StringComparison.Ordinal);

            // A failure after pages already went through every stage (batches of 50 rows: pages 1
            // and 2 validated, anonymised and written to the build folder) publishes nothing either.
            failing = false;
            failFromPage = 3;
            site.Clock.Advance(TimeSpan.FromDays(7));
            Assert.Equal(1, await site.RunAsync([.. args, "--Pipeline:BatchSize=50"]));
            Assert.Equal($"error: {server.Url}acteurs (page 3): HTTP 500 Internal Server Error after 3 attempt(s). Nothing is published.", site.Error.Trim());
            Assert.Equal(before, site.Snapshot());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }
}
