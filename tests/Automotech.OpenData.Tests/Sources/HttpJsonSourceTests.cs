using System.Diagnostics;
using System.Globalization;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Sources;
using Microsoft.Extensions.Logging.Abstractions;
using Reply = Automotech.OpenData.Tests.Sources.TestHttpServer.Reply;

namespace Automotech.OpenData.Tests.Sources;

/// <summary>The http-json source against a real HTTP server on 127.0.0.1; retry delays kept tiny through the pipeline's options.</summary>
public sealed class HttpJsonSourceTests
{
    private const string Token = "tok-3f9a1c7e-never-shown";

    private static readonly TableSchema Schema = new()
    {
        Fields =
        [
            new SchemaField { Name = "id_crm", Constraints = new FieldConstraints { Required = true } },
            new SchemaField { Name = "raison_sociale", Aliases = ["nom"] },
            new SchemaField { Name = "effectif", Type = "integer" },
            new SchemaField { Name = "adherent", Type = "boolean" },
            new SchemaField { Name = "adresse_commune" },
        ],
    };

    private static HttpJsonSource Source(Uri url, HttpPaging? paging = null, string items = "data", string nested = "reject", HttpOptions? http = null, SourceLimits? limits = null, int batchSize = 3, HttpMessageHandler? handler = null) =>
        new(
            new SourceDefinition
            {
                Kind = "http-json",
                Url = url.ToString(),
                Items = items,
                Paging = paging ?? new HttpPaging(),
                Auth = new HttpAuth { BearerTokenSetting = "Sources:Crm:Token" },
                Http = http ?? new HttpOptions { TimeoutSeconds = 5, RetryDelaySeconds = 0.01, MaxRetries = 3 },
                Nested = nested,
                Limits = limits ?? new SourceLimits(),
                Schema = Schema,
            },
            key => key == "Sources:Crm:Token" ? Token : null,
            batchSize,
            NullLogger.Instance)
        {
            Handler = handler,
        };

    private static string Records(int from, int count) =>
        "[" + string.Join(",", Enumerable.Range(from, count).Select(i => $"{{\"id_crm\":\"C{i}\",\"nom\":\"Acteur {i}\",\"effectif\":{i}}}")) + "]";

    private static bool Authorised(TestHttpServer.Request r) => r.Headers.GetValueOrDefault("Authorization") == $"Bearer {Token}";

    [Fact]
    public async Task Page_number_paging_reads_every_page_until_an_empty_one_sending_the_bearer_token()
    {
        await using var server = new TestHttpServer(r =>
        {
            if (!Authorised(r))
            {
                return new Reply(401);
            }

            var page = int.Parse(r.Query("page")!, CultureInfo.InvariantCulture);
            return TestHttpServer.Json($"{{\"data\":{(page <= 2 ? Records(((page - 1) * 2) + 1, 2) : "[]")}}}");
        });
        var (rows, sink) = await SourceTestKit.ReadAllAsync(Source(new Uri(server.Url, "actors?status=active"), new HttpPaging { Style = "page", Size = 2 }));
        Assert.Empty(sink.Rows);
        Assert.Equal([1L, 2L, 3L, 4L], rows.Select(r => r.Line));
        Assert.Equal(["C1", "C2", "C3", "C4"], rows.Select(r => r.Values[0]!));
        Assert.Equal(["/actors?status=active&page=1&size=2", "/actors?status=active&page=2&size=2", "/actors?status=active&page=3&size=2"], server.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task Next_link_paging_follows_the_link_in_the_body_and_maps_json_values()
    {
        await using var server = new TestHttpServer(r => r.PathAndQuery switch
        {
            "/v1/actors" => TestHttpServer.Json("""{"items":[{"id_crm":"A","Raison sociale":"Alpha","effectif":1.50,"adherent":true,"adresse_commune":null,"inconnu":1}],"links":{"next":"/v1/actors?cursor=b2"}}"""),
            "/v1/actors?cursor=b2" => TestHttpServer.Json("""{"items":[{"id_crm":"B","raisonSociale":"Béta","effectif":1e5,"adherent":false}],"links":{"next":null}}"""),
            _ => new Reply(404),
        });
        var (rows, sink) = await SourceTestKit.ReadAllAsync(Source(new Uri(server.Url, "v1/actors"), new HttpPaging { Style = "next-link", Next = "links.next" }, items: "items"));
        SourceTestKit.AssertRow(rows[0].Values, "A", "Alpha", "1.50", "true", null); // numbers keep their JSON text; null is missing
        SourceTestKit.AssertRow(rows[1].Values, "B", "Béta", "1e5", "false", null);
        Assert.Equal("propriété n° 6", Assert.Single(sink.Warnings, w => w.Type == "extra-label").FieldName);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Link_header_paging_follows_rel_next()
    {
        await using var server = new TestHttpServer(r => r.PathAndQuery == "/p1"
            ? TestHttpServer.Json(Records(1, 2), new Dictionary<string, string> { ["Link"] = $"<{r.Headers["Host"]}/x>; rel=\"prev\", <http://{r.Headers["Host"]}/p2>; rel=\"next\"" })
            : TestHttpServer.Json(Records(3, 1), new Dictionary<string, string> { ["Link"] = "</p1>; rel=\"first\"" }));
        var (rows, _) = await SourceTestKit.ReadAllAsync(Source(new Uri(server.Url, "p1"), new HttpPaging { Style = "link-header" }, items: ""));
        Assert.Equal(["C1", "C2", "C3"], rows.Select(r => r.Values[0]!));
        Assert.All(server.Requests, r => Assert.True(Authorised(r)));
    }

    [Fact]
    public async Task Nested_values_reject_their_record_unless_flattened()
    {
        const string Body = """{"data":[{"id_crm":"A","adresse":{"commune":"Albi"},"adherent":[true,false]},{"id_crm":"B","raison_sociale":[{"x":1}]}]}""";
        await using var server = new TestHttpServer(_ => TestHttpServer.Json(Body));
        var (rows, sink) = await SourceTestKit.ReadAllAsync(Source(server.Url));
        Assert.Empty(rows);
        Assert.Equal([("adherent", 1L), ("raison_sociale", 2L)], sink.Errors.Select(e => (e.FieldName!, e.LineNumber)));
        Assert.All(sink.Errors, e => Assert.Contains("page 1 : la propriété", e.Message, StringComparison.Ordinal));
        Assert.Contains(sink.Warnings, w => w.FieldName == "propriété n° 2"); // an object no field names ("adresse"): ignored, reported once, by its position

        (rows, sink) = await SourceTestKit.ReadAllAsync(Source(server.Url, nested: "flatten"));
        SourceTestKit.AssertRow(rows.Single().Values, "A", null, null, "true|false", "Albi");
        var error = Assert.Single(sink.Rows).Errors.Single();
        Assert.Equal(("type-error", "raison_sociale", 2L), (error.Type, error.FieldName, error.LineNumber)); // an array of objects cannot be flattened
    }

    [Fact]
    public async Task A_page_slower_than_the_timeout_is_retried()
    {
        // The timeout applies to the retry's prompt answer too: 2 s, which a loaded machine's local
        // round trip never takes (0.3 s could, and a third request failed the count). The slow
        // answer comes after a minute, so a read done in well under that abandoned it.
        await using var server = new TestHttpServer(r => r.Index == 0
            ? new Reply(200, $"{{\"data\":{Records(1, 1)}}}", Delay: TimeSpan.FromSeconds(60))
            : TestHttpServer.Json($"{{\"data\":{Records(1, 1)}}}"));
        var clock = Stopwatch.StartNew();
        var (rows, _) = await SourceTestKit.ReadAllAsync(Source(server.Url, http: new HttpOptions { TimeoutSeconds = 2, RetryDelaySeconds = 0.01 }));
        Assert.Single(rows);
        Assert.Equal(2, server.Requests.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the slow attempt was abandoned at the timeout ({clock.Elapsed})");
    }

    [Fact]
    public async Task A_page_slower_than_the_timeout_at_every_attempt_fails_the_run_clearly()
    {
        // Each attempt must reach the server before its timeout to be counted: 2 s, which a loaded
        // machine's first local request (connection, a cold HTTP stack) never takes, where 0.2 s could.
        await using var server = new TestHttpServer(_ => new Reply(200, $"{{\"data\":{Records(1, 1)}}}", Delay: TimeSpan.FromSeconds(60)));
        var e = await Assert.ThrowsAsync<PipelineException>(() =>
            SourceTestKit.ReadAllAsync(Source(server.Url, http: new HttpOptions { TimeoutSeconds = 2, RetryDelaySeconds = 0.01, MaxRetries = 2 })));
        Assert.Contains("(page 1): no complete answer within 2 s, 3 attempt(s). Nothing is published.", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Server_errors_are_retried_until_success()
    {
        await using var server = new TestHttpServer(r => r.Index < 2 ? new Reply(r.Index == 0 ? 500 : 503) : TestHttpServer.Json($"{{\"data\":{Records(1, 2)}}}"));
        var (rows, _) = await SourceTestKit.ReadAllAsync(Source(server.Url));
        Assert.Equal(2, rows.Count);
        Assert.Equal(3, server.Requests.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Too_many_requests_waits_what_retry_after_asks_in_seconds_or_as_a_date(bool asDate)
    {
        await using var server = new TestHttpServer(r => r.Index == 0
            ? new Reply(429, Headers: new Dictionary<string, string> { ["Retry-After"] = asDate ? DateTimeOffset.UtcNow.AddSeconds(2).ToString("r", CultureInfo.InvariantCulture) : "1" })
            : TestHttpServer.Json($"{{\"data\":{Records(1, 1)}}}"));
        var (rows, _) = await SourceTestKit.ReadAllAsync(Source(server.Url));
        Assert.Single(rows);
        var times = server.Requests.Select(r => r.At).ToList();
        Assert.Equal(2, times.Count);
        // The back-off alone would be ~10 ms: the wait shows the header was honoured (an HTTP date has whole seconds).
        Assert.InRange((times[1] - times[0]).TotalSeconds, 0.9, 5);
    }

    [Fact]
    public async Task A_retry_after_longer_than_allowed_fails_clearly()
    {
        await using var server = new TestHttpServer(_ => new Reply(429, Headers: new Dictionary<string, string> { ["Retry-After"] = "3600" }));
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(server.Url, http: new HttpOptions { RetryDelaySeconds = 0.01, MaxRetryAfterSeconds = 60 })));
        Assert.Contains("Retry-After", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("99999999999", "99999999999")]                   // beyond TimeSpan's reach in whole seconds as .NET parses the header (an int)
    [InlineData("000099999999999999999999999", "99999999999999999999999")] // beyond any integer type; leading zeros are still delta-seconds
    [InlineData("1234567890123456789012345678901234567890", "123456789012345678901234567890… (40 digits)")] // a header's length is not repeated whole
    public async Task A_retry_after_too_large_to_read_is_longer_than_allowed_and_fails_at_once(string header, string shown)
    {
        await using var server = new TestHttpServer(_ => new Reply(429, Headers: new Dictionary<string, string> { ["Retry-After"] = header }));
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(server.Url)));
        Assert.Equal($"{server.Url} (page 1): the server asks to wait {shown} s (Retry-After), more than source.http.max_retry_after_seconds (300). Nothing is published.", e.Message);
        Assert.Single(server.Requests); // no back-off waited out, no second request
    }

    [Fact]
    public async Task A_permanent_server_error_fails_naming_the_url_without_its_query_and_the_page()
    {
        await using var server = new TestHttpServer(_ => new Reply(500));
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(new Uri(server.Url, "actors?api_key=SECRET123"))));
        Assert.Equal($"{server.Url}actors (page 1): HTTP 500 Internal Server Error after 4 attempt(s). Nothing is published.", e.Message);
        Assert.Equal(4, server.Requests.Count);
        Assert.DoesNotContain(Token, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unauthorised_is_not_retried_and_names_the_setting_never_the_token()
    {
        await using var server = new TestHttpServer(_ => new Reply(401));
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(server.Url)));
        Assert.Contains("HTTP 401", e.Message, StringComparison.Ordinal);
        Assert.Contains("'Sources:Crm:Token'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, e.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_body_cut_short_fails_after_its_retries()
    {
        await using var server = new TestHttpServer(_ => new Reply(200, $"{{\"data\":{Records(1, 50)}}}", CutAt: 100));
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(server.Url)));
        Assert.Contains("(page 1): the answer was cut short after 4 attempt(s)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_fails_naming_the_page()
    {
        await using var server = new TestHttpServer(r => r.Query("page") == "1"
            ? TestHttpServer.Json($"{{\"data\":{Records(1, 2)}}}")
            : TestHttpServer.Json("{\"data\":[{\"id_crm\":\"C3\",}"));
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(server.Url, new HttpPaging { Style = "page", Size = 2 })));
        Assert.Contains("(page 2): the body is not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_without_the_declared_array_fails()
    {
        await using var server = new TestHttpServer(_ => TestHttpServer.Json("{\"results\":[]}"));
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(server.Url)));
        Assert.Contains("no array of records at 'data'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_limits_stop_the_run()
    {
        await using var server = new TestHttpServer(r => TestHttpServer.Json($"{{\"data\":{Records(int.Parse(r.Query("page") ?? "1", CultureInfo.InvariantCulture) * 2, 2)}}}"));
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(server.Url, new HttpPaging { Style = "page", Size = 2 }, limits: new SourceLimits { MaxPages = 3 })));
        Assert.Contains("more than source.limits.max_pages (3)", e.Message, StringComparison.Ordinal);
        e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(server.Url, limits: new SourceLimits { MaxPageBytes = 50 })));
        Assert.Contains("above source.limits.max_page_bytes (50)", e.Message, StringComparison.Ordinal);
        Assert.Equal(3 + 1, server.Requests.Count); // a page too large is not retried
    }

    [Theory]
    [InlineData("/v1/actors")]
    [InlineData("/v1/actors?cursor=b")]
    public async Task A_next_link_back_to_a_page_already_read_fails_at_once(string loopTo)
    {
        await using var server = new TestHttpServer(r => r.PathAndQuery switch
        {
            "/v1/actors" => TestHttpServer.Json($"{{\"data\":{Records(1, 2)},\"next\":\"/v1/actors?cursor=b\"}}"),
            "/v1/actors?cursor=b" => TestHttpServer.Json($"{{\"data\":{Records(3, 2)},\"next\":\"{loopTo}\"}}"),
            _ => new Reply(404),
        });
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(new Uri(server.Url, "v1/actors"), new HttpPaging { Style = "next-link", Next = "next" })));
        var earlier = loopTo == "/v1/actors" ? 1 : 2;
        Assert.Equal($"{server.Url}v1/actors: page 2 links back to page {earlier} ({server.Url}v1/actors): the API's paging loops. Nothing is published.", e.Message);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Page_number_paging_fails_at_once_when_the_api_ignores_the_page_parameter()
    {
        await using var server = new TestHttpServer(_ => TestHttpServer.Json($"{{\"data\":{Records(1, 2)}}}"));
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(new Uri(server.Url, "actors?key=SECRET"), new HttpPaging { Style = "page", Size = 2 })));
        Assert.Equal($"{server.Url}actors (page 2): the same records as page 1 (an identical body): the API seems to ignore source.paging.page_param 'page'. Nothing is published.", e.Message);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task The_token_never_follows_a_next_link_to_another_host_or_down_to_http()
    {
        // https cannot be served by the test server: a handler answers instead, recording what each request carried.
        using var handler = new RecordingHandler(url => url.Query switch
        {
            "" => """{"data":[],"next":"http://crm.example/v1/actors?c=2"}""", // down to http, same host
            "?c=2" => """{"data":[],"next":"https://cdn.example/v1/actors?c=3"}""", // another host
            "?c=3" => """{"data":[],"next":"https://crm.example:8443/v1/actors?c=4"}""", // another port
            "?c=4" => """{"data":[],"next":"https://crm.example/v1/actors?c=5"}""", // back where the token belongs
            _ => """{"data":[]}""",
        });
        await SourceTestKit.ReadAllAsync(Source(new Uri("https://crm.example/v1/actors"), new HttpPaging { Style = "next-link", Next = "next" }, handler: handler));
        Assert.Equal(
            [("https://crm.example/v1/actors", true), ("http://crm.example/v1/actors?c=2", false), ("https://cdn.example/v1/actors?c=3", false), ("https://crm.example:8443/v1/actors?c=4", false), ("https://crm.example/v1/actors?c=5", true)],
            handler.Requests.Select(r => (r.Url.AbsoluteUri, r.Authorization == $"Bearer {Token}")));
    }

    [Theory]
    [InlineData("http://crm.example/v1/actors", false)]
    [InlineData("http://10.0.0.7:8080/v1/actors", false)]
    [InlineData("http://127.0.0.1:8080/v1/actors", true)]
    [InlineData("http://[::1]:8080/v1/actors", true)]
    [InlineData("http://localhost:8080/v1/actors", true)]
    [InlineData("https://crm.example/v1/actors", true)]
    public void A_token_over_plain_http_is_refused_unless_the_host_is_loopback(string url, bool allowed)
    {
        if (allowed)
        {
            Assert.NotNull(Source(new Uri(url)));
            return;
        }

        var e = Assert.Throws<PipelineException>(() => Source(new Uri(url)));
        Assert.StartsWith($"source.auth.bearer_token_setting: the token would travel unencrypted to {new Uri(url).Host} (source.url is http://)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("slow")] // one attempt slower than the budget, well within its own timeout: the budget clips it
    [InlineData("pages")] // pages that each come in time, but not all of them
    public async Task The_total_time_budget_stops_the_read_clearly(string how)
    {
        // "slow": one answer after a minute, an attempt's timeout of 30 s, a budget of 1.5 s: a read
        // that stops well before the timeout was stopped by the budget, however loaded the machine.
        // "pages": a page every 300 ms (never faster) against a 3 s budget: at most 11 requests
        // fit, and the first two come within it even when the first, cold, is slow.
        await using var server = new TestHttpServer(r => how switch
        {
            "slow" => new Reply(200, $"{{\"data\":{Records(1, 1)}}}", Delay: TimeSpan.FromSeconds(60)),
            _ => new Reply(200, $"{{\"data\":{Records(r.Index + 1, 1)}}}", Delay: TimeSpan.FromMilliseconds(300)),
        });
        var budget = how == "pages" ? 3 : 1.5;
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(
            server.Url,
            how == "pages" ? new HttpPaging { Style = "page", Size = 1 } : null,
            http: new HttpOptions { TimeoutSeconds = 30, RetryDelaySeconds = 0.01, MaxRetries = 3, TotalTimeoutSeconds = budget })));
        var shown = System.Text.RegularExpressions.Regex.Escape(budget.ToString(CultureInfo.InvariantCulture));
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(server.Url.ToString())} \(page [0-9]+\): the time budget of source\.http\.total_timeout_seconds \({shown} s\) is used up waiting for the API, after [0-9]+ page\(s\) read\. Nothing is published\.$", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the budget did not stop the read ({clock.Elapsed})");
        if (how == "pages")
        {
            Assert.InRange(server.Requests.Count, 2, 11); // 300 ms each: at most 10 fit in the budget, and the one it cut
        }
        else
        {
            Assert.Contains("after 0 page(s) read", e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(429, 1)]
    [InlineData(503, 2)]
    public async Task A_retry_after_longer_than_the_budget_left_fails_at_once_instead_of_waiting_for_nothing(int status, int failingPage)
    {
        // 60 s is within max_retry_after_seconds (300) but more than the whole 20 s budget: waiting could only end in failing.
        await using var server = new TestHttpServer(r => int.Parse(r.Query("page")!, CultureInfo.InvariantCulture) < failingPage
            ? TestHttpServer.Json($"{{\"data\":{Records(1, 1)}}}")
            : new Reply(status, Headers: new Dictionary<string, string> { ["Retry-After"] = "60" }));
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(
            new Uri(server.Url, "actors?api_key=SECRET123"),
            new HttpPaging { Style = "page", Size = 1 },
            http: new HttpOptions { TimeoutSeconds = 5, RetryDelaySeconds = 0.01, MaxRetries = 3, MaxRetryAfterSeconds = 300, TotalTimeoutSeconds = 20 })));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the run waited instead of failing at once ({clock.Elapsed})");
        var phrase = status == 429 ? "Too Many Requests" : "Service Unavailable";
        Assert.Matches(
            $@"^{System.Text.RegularExpressions.Regex.Escape(server.Url.ToString())}actors \(page {failingPage}\): HTTP {status} {phrase}: the server asks to wait 60 s before trying again \(Retry-After\), more than the [0-9]+(\.[0-9])? s left of the time budget source\.http\.total_timeout_seconds \(20 s\), after {failingPage - 1} page\(s\) read: waiting could only end in failure\. Raise total_timeout_seconds, or run later\. Nothing is published\.$",
            e.Message);
        Assert.Equal(failingPage, server.Requests.Count);
        Assert.DoesNotContain("SECRET123", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_after_waits_count_against_the_budget_and_the_one_that_no_longer_fits_fails_at_once()
    {
        // 10 s of budget: the first 6 s wait fits, the second (at most 4 s left) does not; the first
        // request may take up to 4 s on a busy 2-core runner (a cold server, the JIT) before this
        // test would see the first wait refused instead.
        await using var server = new TestHttpServer(_ => new Reply(429, Headers: new Dictionary<string, string> { ["Retry-After"] = "6" }));
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(
            server.Url,
            http: new HttpOptions { TimeoutSeconds = 5, RetryDelaySeconds = 0.01, MaxRetries = 3, TotalTimeoutSeconds = 10 })));
        Assert.Matches(@" \(page 1\): HTTP 429 Too Many Requests: the server asks to wait 6 s before trying again \(Retry-After\), more than the [0-4](\.[0-9])? s left of the time budget source\.http\.total_timeout_seconds \(10 s\), after 0 page\(s\) read", e.Message);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_back_off_longer_than_the_budget_left_fails_at_once_instead_of_waiting_for_nothing()
    {
        // A first back-off of an hour (doubling, with jitter) against a 20 s budget.
        await using var server = new TestHttpServer(_ => new Reply(503));
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(Source(
            server.Url,
            http: new HttpOptions { TimeoutSeconds = 5, RetryDelaySeconds = 3600, MaxRetries = 3, TotalTimeoutSeconds = 20 })));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the run waited instead of failing at once ({clock.Elapsed})");
        Assert.Matches(
            $@"^{System.Text.RegularExpressions.Regex.Escape(server.Url.ToString())} \(page 1\): HTTP 503 Service Unavailable: retry 1 of 3 would first wait [0-9]+(\.[0-9])? s \(back-off from source\.http\.retry_delay_seconds, 3600 s, doubling\), more than the [0-9]+(\.[0-9])? s left of the time budget source\.http\.total_timeout_seconds \(20 s\), after 0 page\(s\) read: waiting could only end in failure\. Raise total_timeout_seconds, or lower retry_delay_seconds\. Nothing is published\.$",
            e.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_token_setting_that_is_not_configured_is_a_clear_error()
    {
        var source = new HttpJsonSource(
            new SourceDefinition { Kind = "http-json", Url = "http://127.0.0.1:9/", Auth = new HttpAuth { BearerTokenSetting = "Sources:Crm:Token" }, Schema = Schema },
            _ => null,
            10,
            NullLogger.Instance);
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(source));
        Assert.Contains("'Sources:Crm:Token', which is not configured (set it in the environment as Sources__Crm__Token", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_redirect_to_another_origin_does_not_carry_the_token(int status)
    {
        await using var other = new TestHttpServer(_ => TestHttpServer.Json($"{{\"data\": {Records(1, 2)}}}"));
        await using var server = new TestHttpServer(_ => new TestHttpServer.Reply(status, "", new Dictionary<string, string> { ["Location"] = other.Url + "stolen" }));
        await SourceTestKit.ReadAllAsync(Source(server.Url));
        Assert.True(Authorised(Assert.Single(server.Requests)));
        var redirected = Assert.Single(other.Requests);
        Assert.False(redirected.Headers.ContainsKey("Authorization"));
    }

    [Theory]
    [InlineData("Anonymisation:Key")]
    [InlineData("Publishing:Azure:ConnectionString")]
    [InlineData("SYSTEM_ACCESSTOKEN")]
    public async Task A_definition_built_in_code_cannot_send_a_setting_outside_Sources_either(string setting)
    {
        var handler = new RecordingHandler(_ => "{\"data\": []}");
        var e = Assert.ThrowsAny<PipelineException>(() => new HttpJsonSource(
            new SourceDefinition { Kind = "http-json", Url = "https://collector.example/", Auth = new HttpAuth { BearerTokenSetting = setting }, Schema = Schema },
            key => key == setting ? "fake-secret-value-for-tests-only-0000" : null,
            10,
            NullLogger.Instance) { Handler = handler });
        Assert.Contains($"'{setting}' is not a key of the Sources section", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("fake-secret", e.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
        await Task.CompletedTask;
    }

    private sealed class RecordingHandler(Func<Uri, string> body) : HttpMessageHandler
    {
        public List<(Uri Url, string? Authorization)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request.RequestUri!, request.Headers.Authorization?.ToString()));
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new StringContent(body(request.RequestUri!), System.Text.Encoding.UTF8, "application/json"),
            });
        }
    }
}
