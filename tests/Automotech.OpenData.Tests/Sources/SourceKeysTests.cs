using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Sources;

namespace Automotech.OpenData.Tests.Sources;

/// <summary>Each kind's required keys are checked when the definition loads, and reported with every other problem.</summary>
public class SourceKeysTests
{
    private static PipelineException LoadError(string sourceYaml)
    {
        using var temp = new TempFolder();
        var pipelines = SourceTestKit.ActeursWithSource(temp, sourceYaml);
        var yaml = Path.Combine(pipelines, "acteurs", "pipeline.yaml");
        File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("max_error_ratio: 0.05", "max_error_ratio: 2", StringComparison.Ordinal));
        return Assert.Throws<PipelineException>(() => PipelineLoader.Load(Path.Combine(pipelines, "acteurs")));
    }

    [Fact]
    public void Every_kind_is_known_to_the_factory() => Assert.Equal(["csv", "xlsx", "http-json", "azure-blob", "sirene", "derived"], SourceFactory.Kinds);

    [Fact]
    public void Http_json_needs_a_url_and_a_path_for_next_links()
    {
        var e = LoadError("  kind: http-json\n  url: ftp://crm.example/actors\n  paging: { style: next-link }\n  nested: flat\n");
        Assert.Contains("source.url must be an absolute http(s) URL (kind http-json).", e.Message, StringComparison.Ordinal);
        Assert.Contains("source.paging.next is required with style next-link", e.Message, StringComparison.Ordinal);
        Assert.Contains("source.nested must be reject or flatten, not 'flat'.", e.Message, StringComparison.Ordinal);
        Assert.Contains("validation.max_error_ratio must be between 0 and 1.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_url_holding_credentials_is_refused()
    {
        var e = LoadError("  kind: http-json\n  url: https://user:pass@crm.example/actors\n");
        Assert.Contains("source.url must not hold credentials", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pass@", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bearer_token_over_plain_http_is_refused_unless_the_host_is_loopback()
    {
        var e = LoadError("  kind: http-json\n  url: http://crm.example/actors\n  auth: { bearer_token_setting: Sources:Crm:Token }\n");
        Assert.Contains("source.auth.bearer_token_setting: the token would travel unencrypted to crm.example (source.url is http://): use an https URL; over http a token is sent only to 127.0.0.1, ::1 or localhost.", e.Message, StringComparison.Ordinal);
        Assert.Contains("validation.max_error_ratio", e.Message, StringComparison.Ordinal); // reported with the other problems

        e = LoadError("  kind: http-json\n  url: http://localhost:8080/actors\n  auth: { bearer_token_setting: Sources:Crm:Token }\n");
        Assert.DoesNotContain("bearer_token_setting", e.Message, StringComparison.Ordinal);
        e = LoadError("  kind: http-json\n  url: http://crm.example/actors\n");
        Assert.DoesNotContain("bearer_token_setting", e.Message, StringComparison.Ordinal); // no token: http is allowed
    }

    [Fact]
    public void The_total_time_budget_must_be_positive_and_at_most_a_week()
    {
        var e = LoadError("  kind: http-json\n  url: https://crm.example/actors\n  http: { total_timeout_seconds: 0 }\n");
        Assert.Contains("source.http.total_timeout_seconds must be in (0, 604800] (a week), not 0.", e.Message, StringComparison.Ordinal);
        e = LoadError("  kind: http-json\n  url: https://crm.example/actors\n  http: { total_timeout_seconds: 7200 }\n");
        Assert.DoesNotContain("total_timeout_seconds", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Http_settings_the_retries_cannot_take_are_refused_when_the_definition_loads_not_mid_run()
    {
        // Each passed the load checks, then stopped the run at its first request as an internal error
        // (Polly's option validation: an attempt's timeout of at least 10 ms, a back-off of at most a day; a TimeSpan overflow).
        var e = LoadError("  kind: http-json\n  url: https://crm.example/actors\n  http: { timeout_seconds: 0.001, retry_delay_seconds: 100000, max_retry_after_seconds: 1e15, max_retries: 21 }\n");
        Assert.Contains("source.http.timeout_seconds must be in [0.01, 3600], not 0.001.", e.Message, StringComparison.Ordinal);
        Assert.Contains("source.http.retry_delay_seconds must be in [0, 86400] (a day), not 100000.", e.Message, StringComparison.Ordinal);
        Assert.Contains("source.http.max_retry_after_seconds must be in [0, 604800] (a week), not 1000000000000000.", e.Message, StringComparison.Ordinal);
        Assert.Contains("source.http.max_retries must be in [0, 20], not 21.", e.Message, StringComparison.Ordinal);
        e = LoadError("  kind: http-json\n  url: https://crm.example/actors\n  http: { timeout_seconds: 0.01, retry_delay_seconds: 86400, max_retry_after_seconds: 604800, max_retries: 0 }\n");
        Assert.DoesNotContain("source.http", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Azure_blob_needs_container_blob_and_connection_setting()
    {
        var e = LoadError("  kind: azure-blob\n  blob: export.json\n");
        Assert.Contains("source.container is required (kind azure-blob).", e.Message, StringComparison.Ordinal);
        Assert.Contains("source.connection_setting is required (kind azure-blob)", e.Message, StringComparison.Ordinal);
        Assert.Contains("source.format must be csv or xlsx (or the blob name end with .csv or .xlsx)", e.Message, StringComparison.Ordinal);
        Assert.Contains("validation.max_error_ratio", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Xlsx_needs_a_path_and_one_or_two_header_rows()
    {
        var e = LoadError("  kind: xlsx\n  header_rows: 3\n");
        Assert.Contains("source.path is required (kind xlsx).", e.Message, StringComparison.Ordinal);
        Assert.Contains("source.header_rows must be 1 or 2, not 3.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  kind: xlsx\n  path: a.xlsx\n  header_row: 0\n", "source.header_row is an Excel row number (1 or more), not 0.")]
    [InlineData("  kind: csv\n  path: a.csv\n  header_row: 3\n", "source.header_row applies to Excel workbooks only")]
    [InlineData("  kind: azure-blob\n  container: c\n  blob: a.csv\n  connection_setting: K\n  header_row: 3\n", "source.header_row applies to Excel workbooks only")]
    public void Header_row_is_a_row_number_of_a_workbook(string source, string expected) =>
        Assert.Contains(expected, LoadError(source).Message, StringComparison.Ordinal);

    [Fact]
    public void An_unknown_kind_lists_the_known_ones()
    {
        var e = LoadError("  kind: sql\n");
        Assert.Contains("source.kind 'sql' is not supported (supported: csv, xlsx, http-json, azure-blob, sirene, derived).", e.Message, StringComparison.Ordinal);
    }
}
