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

    private static (string Yaml, PipelineException Error) LoadErrorIn(string sourceYaml)
    {
        using var temp = new TempFolder();
        var pipelines = SourceTestKit.ActeursWithSource(temp, sourceYaml);
        var path = Path.Combine(pipelines, "acteurs", "pipeline.yaml");
        var yaml = File.ReadAllText(path).Replace("max_error_ratio: 0.05", "max_error_ratio: 2", StringComparison.Ordinal);
        File.WriteAllText(path, yaml);
        return (yaml, Assert.Throws<PipelineException>(() => PipelineLoader.Load(Path.Combine(pipelines, "acteurs"))));
    }

    /// <summary>The line and column of <paramref name="what"/>'s first occurrence inside the source section.</summary>
    private static string At(string yaml, string what)
    {
        var before = yaml[..yaml.IndexOf(what, yaml.IndexOf("\nsource:\n", StringComparison.Ordinal), StringComparison.Ordinal)];
        return $"line {before.Count(c => c == '\n') + 1}, column {before.Length - before.LastIndexOf('\n')}";
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

    /// <summary>
    /// The run sends the value of the setting a definition names to the definition's URL: a
    /// definition naming the run's own secret (or any CI variable) would send it to its author's host.
    /// </summary>
    [Theory]
    [InlineData("  kind: http-json\n  url: https://collector.example/actors\n  auth: { bearer_token_setting: Anonymisation:Key }\n", "source.auth.bearer_token_setting", "Anonymisation:Key")]
    [InlineData("  kind: http-json\n  url: https://collector.example/actors\n  auth: { bearer_token_setting: Publishing:Azure:ConnectionString }\n", "source.auth.bearer_token_setting", "Publishing:Azure:ConnectionString")]
    [InlineData("  kind: http-json\n  url: https://collector.example/actors\n  auth: { bearer_token_setting: GITHUB_TOKEN }\n", "source.auth.bearer_token_setting", "GITHUB_TOKEN")]
    [InlineData("  kind: http-json\n  url: https://collector.example/actors\n  auth: { bearer_token_setting: \"Sources:\" }\n", "source.auth.bearer_token_setting", "Sources:")]
    [InlineData("  kind: azure-blob\n  container: c\n  blob: a.csv\n  connection_setting: Anonymisation:Key\n", "source.connection_setting", "Anonymisation:Key")]
    [InlineData("  kind: azure-blob\n  container: c\n  blob: a.csv\n  connection_setting: Publishing:Azure:ConnectionString\n", "source.connection_setting", "Publishing:Azure:ConnectionString")]
    public void A_setting_outside_the_Sources_section_is_refused(string source, string yamlKey, string setting)
    {
        var e = LoadError(source);
        Assert.Contains($"{yamlKey}: '{setting}' is not a key of the Sources section: a definition may name only a setting under Sources: (e.g. Sources:Crm:Token, in the environment Sources__Crm__Token), never the run's own secrets", e.Message, StringComparison.Ordinal);
        Assert.Contains("validation.max_error_ratio", e.Message, StringComparison.Ordinal); // reported with the other problems
    }

    [Theory]
    [InlineData("  kind: http-json\n  url: https://crm.example/actors\n  auth: { bearer_token_setting: Sources:Crm:Token }\n")]
    [InlineData("  kind: http-json\n  url: https://crm.example/actors\n  auth: { bearer_token_setting: sources:crm:token }\n")]
    [InlineData("  kind: azure-blob\n  container: c\n  blob: a.csv\n  connection_setting: Sources:Blob:ConnectionString\n")]
    public void A_setting_of_the_Sources_section_is_accepted(string source) =>
        Assert.DoesNotContain("is not a key of the Sources section", LoadError(source).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("../other-container/secret.csv")]
    [InlineData("crm/../../other-container/secret.csv")]
    [InlineData("crm\\..\\x.csv")]
    [InlineData("./crm/a.csv")]
    public void A_blob_name_that_climbs_out_of_its_container_is_refused(string blob)
    {
        // The SDK resolves "../" in the blob's URL: another container of the account was read (the
        // security review's note).
        var e = LoadError($"  kind: azure-blob\n  container: exports\n  blob: '{blob}'\n  connection_setting: Sources:Blob:ConnectionString\n");
        Assert.Contains($"source.blob: '{blob}' must name a blob inside source.container, without '.' or '..' segments.", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("source.blob:", LoadError("  kind: azure-blob\n  container: exports\n  blob: crm/2026/acteurs..v2.csv\n  connection_setting: Sources:Blob:ConnectionString\n").Message, StringComparison.Ordinal);
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
    [InlineData("  kind: azure-blob\n  container: c\n  blob: a.csv\n  connection_setting: K\n  header_row: 3\n", "source.header_row applies to Excel workbooks only")]
    public void Header_row_is_a_row_number_of_a_workbook(string source, string expected) =>
        Assert.Contains(expected, LoadError(source).Message, StringComparison.Ordinal);

    // Each key below is one the named kind never reads: it was deserialized, then silently ignored
    // (a csv read whole with sheet: Formations, a workbook with delimiter: ";").
    [Theory]
    [InlineData("  kind: csv\n  path: a.csv\n  sheet: Formations\n", "sheet:", "source.sheet: kind csv does not read this key: only kind xlsx or azure-blob does;")]
    [InlineData("  kind: csv\n  path: a.csv\n  header_rows: 2\n", "header_rows:", "source.header_rows: kind csv does not read this key: only kind xlsx or azure-blob does;")]
    [InlineData("  kind: csv\n  path: a.csv\n  header_row: 3\n", "header_row:", "source.header_row: kind csv does not read this key: only kind xlsx or azure-blob does;")]
    [InlineData("  kind: xlsx\n  path: a.xlsx\n  delimiter: \";\"\n", "delimiter:", "source.delimiter: kind xlsx does not read this key: only kind csv or azure-blob does;")]
    [InlineData("  kind: xlsx\n  path: a.xlsx\n  encoding: latin1\n", "encoding:", "source.encoding: kind xlsx does not read this key: only kind csv or azure-blob does;")]
    [InlineData("  kind: csv\n  path: a.csv\n  url: https://crm.example/actors\n", "url:", "source.url: kind csv does not read this key: only kind http-json does;")]
    [InlineData("  kind: xlsx\n  path: a.xlsx\n  paging: { style: page }\n", "paging:", "source.paging: kind xlsx does not read this key: only kind http-json does;")]
    [InlineData("  kind: csv\n  path: a.csv\n  container: exports\n", "container:", "source.container: kind csv does not read this key: only kind azure-blob does;")]
    [InlineData("  kind: sirene\n  path: a.csv\n  delimiter: \",\"\n", "delimiter:", "source.delimiter: kind sirene does not read this key: only kind csv or azure-blob does;")]
    [InlineData("  kind: http-json\n  url: https://crm.example/actors\n  path: a.csv\n", "path:", "source.path: kind http-json does not read this key: only kind csv, xlsx or sirene does;")]
    [InlineData("  kind: azure-blob\n  container: c\n  blob: a.csv\n  connection_setting: K\n  nested: flatten\n", "nested:", "source.nested: kind azure-blob does not read this key: only kind http-json does;")]
    [InlineData("  kind: csv\n  path: a.csv\n  from: acteurs\n", "from:", "source.from: kind csv does not read this key: only kind derived does;")]
    [InlineData("  kind: csv\n  path: a.csv\n  limits: { max_rows: 10, max_pages: 10 }\n", "max_pages:", "source.limits.max_pages: kind csv does not read this key: only kind http-json does;")]
    [InlineData("  kind: xlsx\n  path: a.xlsx\n  limits: { max_record_bytes: 10 }\n", "max_record_bytes:", "source.limits.max_record_bytes: kind xlsx does not read this key: only kind csv, azure-blob or sirene does;")]
    [InlineData("  path: a.csv\n  sheet: Formations\n", "sheet:", "source.sheet: kind csv (the default: source.kind is not set) does not read this key: only kind xlsx or azure-blob does;")]
    public void A_key_the_declared_kind_does_not_read_is_refused_at_its_line_naming_the_kinds_that_read_it(string source, string at, string expected)
    {
        var (yaml, e) = LoadErrorIn(source);
        Assert.Contains($"  - {At(yaml, at)}: {expected} remove it, or set the source.kind that reads it", e.Message, StringComparison.Ordinal);
        Assert.Contains("validation.max_error_ratio must be between 0 and 1.", e.Message, StringComparison.Ordinal); // with the file's other problems
    }

    [Fact]
    public void A_refused_key_says_what_the_kind_takes_and_a_misspelt_one_is_matched_against_the_kinds_keys_first()
    {
        var (yaml, e) = LoadErrorIn("  kind: csv\n  path: a.csv\n  sheet: Formations\n  delimeter: \";\"\n  sheets: Formations\n");
        Assert.Contains($"  - {At(yaml, "sheet:")}: source.sheet: kind csv does not read this key: only kind xlsx or azure-blob does; remove it, or set the source.kind that reads it (with kind csv, source takes kind, path, encoding, delimiter, limits, demo, schema).", e.Message, StringComparison.Ordinal);
        Assert.Contains($"  - {At(yaml, "delimeter:")}: unknown key 'delimeter' in source: did you mean 'delimiter'? (with kind csv, source takes kind, path, encoding, delimiter, limits, demo, schema; keys are snake_case).", e.Message, StringComparison.Ordinal);
        Assert.Contains($"  - {At(yaml, "sheets:")}: unknown key 'sheets' in source: did you mean 'sheet'? (only kind xlsx or azure-blob reads it) (with kind csv, source takes kind, path, encoding, delimiter, limits, demo, schema; keys are snake_case).", e.Message, StringComparison.Ordinal);

        (yaml, e) = LoadErrorIn("  kind: http-json\n  url: https://crm.example/actors\n  limits: { max_file_bytes: 10 }\n");
        Assert.Contains($"  - {At(yaml, "max_file_bytes:")}: source.limits.max_file_bytes: kind http-json does not read this key: only kind csv, xlsx, azure-blob or sirene does; remove it, or set the source.kind that reads it (with kind http-json, source.limits takes max_rows, max_field_chars, max_page_bytes, max_pages).", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_key_of_the_source_section_is_read_by_some_kind_and_an_unknown_kind_narrows_nothing()
    {
        // A key added to SourceDefinition or SourceLimits and left out of SourceKeys would be refused under every kind.
        static IEnumerable<string> Keys(Type type) => type.GetProperties().Where(p => p.CanWrite).Select(p => YamlDotNet.Serialization.NamingConventions.UnderscoredNamingConvention.Instance.Apply(p.Name));
        Assert.All(Keys(typeof(SourceDefinition)), key => Assert.Contains(SourceKeys.Read.Values, keys => keys.Contains(key)));
        Assert.All(Keys(typeof(SourceLimits)), key => Assert.Contains(SourceKeys.Limits.Values, keys => keys.Contains(key)));
        Assert.Equal(SourceFactory.Kinds.Order(StringComparer.Ordinal), SourceKeys.Read.Keys.Order(StringComparer.Ordinal));


        // An unknown kind is its own mistake: the keys are not also refused against a guess.
        var e = LoadError("  kind: sql\n  path: a.csv\n  sheet: Formations\n  url: https://crm.example/actors\n");
        Assert.DoesNotContain("does not read this key", e.Message, StringComparison.Ordinal);
        Assert.Contains("source.kind 'sql' is not supported", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_keys_of_each_kind_in_docs_sources_md_are_those_the_loader_takes()
    {
        var doc = File.ReadAllText(Path.Combine(Repo.Root, "docs", "sources.md"));
        var start = doc.IndexOf("| kind | keys of `source`", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/sources.md has the table of each kind's keys");
        var table = doc[start..doc.IndexOf("\n\n", start, StringComparison.Ordinal)];
        var rows = System.Text.RegularExpressions.Regex.Matches(table, @"^\| `([a-z-]+)` \| (.*) \| (.*) \|$", System.Text.RegularExpressions.RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => (Source: Codes(m.Groups[2].Value), Limits: Codes(m.Groups[3].Value)));
        Assert.Equal(SourceFactory.Kinds.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var kind in SourceFactory.Kinds.Where(k => k != "derived"))
        {
            Assert.Equal(SourceKeys.Read[kind].Except(["kind", "demo", "schema", "limits"]).Order(StringComparer.Ordinal), rows[kind].Source.Order(StringComparer.Ordinal));
            Assert.Equal(SourceKeys.Limits[kind].Order(StringComparer.Ordinal), rows[kind].Limits.Order(StringComparer.Ordinal));
        }

        Assert.Equal(["from", "kind"], SourceKeys.Read["derived"].Order(StringComparer.Ordinal));
        Assert.Empty(SourceKeys.Limits["derived"]);

        static List<string> Codes(string cell) => System.Text.RegularExpressions.Regex.Matches(cell, "`([a-z_]+)`").Select(m => m.Groups[1].Value).Where(k => k is not ("demo" or "schema" or "limits")).ToList();
    }

    [Fact]
    public void An_unknown_kind_lists_the_known_ones()
    {
        var e = LoadError("  kind: sql\n");
        Assert.Contains("source.kind 'sql' is not supported (supported: csv, xlsx, http-json, azure-blob, sirene, derived).", e.Message, StringComparison.Ordinal);
    }
}
