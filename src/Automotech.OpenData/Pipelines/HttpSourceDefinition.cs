namespace Automotech.OpenData.Pipelines;

/// <summary>How an http-json source pages (<c>source.paging</c>).</summary>
public sealed class HttpPaging
{
    /// <summary>
    /// <c>none</c> (one request), <c>page</c> (page number and size query parameters, until an
    /// empty page), <c>next-link</c> (a URL in the body, at <see cref="Next"/>) or
    /// <c>link-header</c> (the <c>Link: &lt;…&gt;; rel="next"</c> response header).
    /// </summary>
    public string Style { get; init; } = "none";

    public string PageParam { get; init; } = "page";

    public string SizeParam { get; init; } = "size";

    public int Size { get; init; } = 100;

    public int FirstPage { get; init; } = 1;

    /// <summary>next-link: dot path to the next page's URL in the body; absent, null or empty on the last page.</summary>
    public string Next { get; init; } = "";
}

/// <summary>How an http-json source authenticates (<c>source.auth</c>).</summary>
public sealed class HttpAuth
{
    /// <summary>The configuration key holding a bearer token (e.g. <c>Sources:Crm:Token</c>, env <c>Sources__Crm__Token</c>); none when empty.</summary>
    public string BearerTokenSetting { get; init; } = "";
}

/// <summary>Timeouts and retries of an http-json source (<c>source.http</c>).</summary>
public sealed class HttpOptions
{
    /// <summary>Per request, headers and body: a slower page is abandoned and retried.</summary>
    public double TimeoutSeconds { get; init; } = 30;

    /// <summary>Retries after the first attempt, on 5xx, 408, 429, timeouts and connection failures.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The first back-off; it doubles at each retry, with jitter.</summary>
    public double RetryDelaySeconds { get; init; } = 1;

    /// <summary>The longest wait a <c>Retry-After</c> header may ask for; a longer one fails the run.</summary>
    public double MaxRetryAfterSeconds { get; init; } = 300;

    /// <summary>
    /// The most time the whole read may spend waiting for the API: every page, attempt,
    /// back-off and <c>Retry-After</c> together; past it the run fails.
    /// </summary>
    public double TotalTimeoutSeconds { get; init; } = 3600;
}
