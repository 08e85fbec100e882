using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Automotech.OpenData.Pipelines;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;

namespace Automotech.OpenData.Sources;

/// <summary>
/// Fetches one page of an HTTP API, whole but bounded (<c>max_page_bytes</c>), through a
/// resilience pipeline: a timeout per attempt (headers and body), then retries with exponential
/// back-off and jitter on 5xx, 408, 429, timeouts and broken connections, waiting what a
/// <c>Retry-After</c> header asks (seconds or HTTP date) up to <c>max_retry_after_seconds</c>;
/// a longer one, or a number of seconds too large to read, fails at once.
/// A wait (asked or back-off) that the time budget left (<c>total_timeout_seconds</c>) could not
/// cover fails at once instead of being waited out for nothing. Anything else, or a failure that
/// outlasts the retries, is a <see cref="PipelineException"/> naming the URL without its query
/// and the page; the token is never in a message.
/// </summary>
internal sealed class HttpPageFetcher : IDisposable
{
    private readonly HttpClient client;
    private readonly ResiliencePipeline<HttpResponseMessage> pipeline;
    private readonly AuthenticationHeaderValue? bearer;
    private readonly string tokenSetting;
    private readonly long maxPageBytes;
    private readonly HttpOptions http;

    public HttpPageFetcher(HttpOptions http, long maxPageBytes, string? token, string tokenSetting, ILogger logger, HttpMessageHandler? handler = null)
    {
        this.http = http;
        this.maxPageBytes = Math.Min(maxPageBytes, Array.MaxLength);
        this.tokenSetting = tokenSetting;
        bearer = string.IsNullOrEmpty(token) ? null : new AuthenticationHeaderValue("Bearer", token);
        client = new HttpClient(handler ?? new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All, MaxAutomaticRedirections = 5 })
        {
            Timeout = Timeout.InfiniteTimeSpan, // the pipeline's timeout applies, per attempt
        };
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (http.MaxRetries > 0)
        {
            var retry = new HttpRetryStrategyOptions
            {
                ShouldRetryAfterHeader = true,
                MaxRetryAttempts = http.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(http.RetryDelaySeconds),
                // A body cut short (IOException) is as transient as a dropped connection; a page over the limit is not.
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is not PipelineException
                    && (HttpClientResiliencePredicates.IsTransient(args.Outcome) || args.Outcome.Exception is IOException)),
                OnRetry = args =>
                {
                    var page = args.Context.Properties.GetValue(PageKey, 0);

                    // A wait longer than the budget left would end in the budget's failure anyway, after
                    // sitting idle for all of it: say so now (an unattended run has nobody to watch it wait).
                    if (args.RetryDelay > TimeSpan.Zero && args.Context.Properties.TryGetValue(BudgetKey, out var budget) && budget.Left is var left && args.RetryDelay >= left)
                    {
                        var asked = args.Context.Properties.GetValue(RetryAfterKey, false);
                        var message = OverBudget(args.Context, args.Outcome, asked, args.AttemptNumber + 1, args.RetryDelay, left);
                        args.Outcome.Result?.Dispose();
                        throw new PipelineException(message);
                    }

                    var reason = args.Outcome.Result is { } r ? $"HTTP {(int)r.StatusCode}" : args.Outcome.Exception?.GetType().Name ?? "?";
                    SourceLog.Retrying(logger, args.Context.Properties.GetValue(SourceKey, ""), page, args.AttemptNumber + 1, reason, (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            };
            var retryAfter = retry.DelayGenerator;
            var longest = TimeSpan.FromSeconds(http.MaxRetryAfterSeconds);
            retry.DelayGenerator = async args =>
            {
                var asked = retryAfter is null ? null : await retryAfter(args);
                args.Context.Properties.Set(RetryAfterKey, asked is not null);
                var seconds = asked > longest
                    ? asked.Value.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)
                    : asked is null ? DeltaSecondsBeyond(args.Outcome.Result, http.MaxRetryAfterSeconds) : null;
                if (seconds is not null)
                {
                    args.Outcome.Result?.Dispose();
                    throw new PipelineException(string.Create(CultureInfo.InvariantCulture, $"{args.Context.Properties.GetValue(SourceKey, "")} (page {args.Context.Properties.GetValue(PageKey, 0)}): the server asks to wait {seconds} s (Retry-After), more than source.http.max_retry_after_seconds ({http.MaxRetryAfterSeconds}). Nothing is published."));
                }

                return asked;
            };
            builder.AddRetry(retry);
        }

        pipeline = builder.AddTimeout(TimeSpan.FromSeconds(http.TimeoutSeconds)).Build();
    }

    public static ResiliencePropertyKey<int> PageKey { get; } = new("page");

    public static ResiliencePropertyKey<string> SourceKey { get; } = new("source");

    /// <summary>What is left of the read's time budget, from when the page's fetch began.</summary>
    private static ResiliencePropertyKey<Budget> BudgetKey { get; } = new("budget");

    /// <summary>Whether the coming retry's delay is the server's <c>Retry-After</c> (else the back-off).</summary>
    private static ResiliencePropertyKey<bool> RetryAfterKey { get; } = new("retry-after");

    /// <summary>The page's body and its <c>Link</c> headers.</summary>
    /// <param name="budgetLeft">
    /// What is left of <c>total_timeout_seconds</c>: the caller's <paramref name="cancellationToken"/>
    /// ends the fetch then (which clips an attempt's timeout too); a retry's wait that would
    /// not end before it fails the fetch at once.
    /// </param>
    public async Task<(byte[] Body, int Length, IReadOnlyList<string> Links)> FetchAsync(Uri url, int page, bool sendToken, TimeSpan budgetLeft, CancellationToken cancellationToken)
    {
        var where = $"{ShownUrl.Of(url)} (page {page})";
        var attempts = 0;
        var buffer = new MemoryStream();
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(PageKey, page);
        context.Properties.Set(SourceKey, ShownUrl.Of(url));
        context.Properties.Set(BudgetKey, new Budget(Stopwatch.GetTimestamp(), budgetLeft));
        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(
                async (ctx, state) =>
                {
                    attempts++;
                    state.SetLength(0);
                    using var request = new HttpRequestMessage(HttpMethod.Get, url);
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                    if (sendToken && bearer is not null)
                    {
                        request.Headers.Authorization = bearer;
                    }

                    var answer = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ctx.CancellationToken);
                    if (answer.IsSuccessStatusCode)
                    {
                        try
                        {
                            await ReadBodyAsync(answer, state, where, ctx.CancellationToken);
                        }
                        catch
                        {
                            answer.Dispose();
                            throw;
                        }
                    }

                    return answer;
                },
                context,
                buffer);
        }
        catch (TimeoutRejectedException e)
        {
            throw new PipelineException(string.Create(CultureInfo.InvariantCulture, $"{where}: no complete answer within {http.TimeoutSeconds} s, {attempts} attempt(s). Nothing is published."), e);
        }
        catch (HttpRequestException e)
        {
            throw new PipelineException($"{where}: the request failed after {attempts} attempt(s) ({e.Message}). Nothing is published.", e);
        }
        catch (IOException e)
        {
            throw new PipelineException($"{where}: the answer was cut short after {attempts} attempt(s) ({e.Message}). Nothing is published.", e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var status = Status(response.StatusCode);
                throw new PipelineException(response.StatusCode switch
                {
                    HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => bearer is null
                        ? $"{where}: {status}: the API wants a token; name its setting in source.auth.bearer_token_setting. Nothing is published."
                        : $"{where}: {status}: the token in the setting '{tokenSetting}' was refused. Nothing is published.",
                    HttpStatusCode.NotFound => $"{where}: {status}: check source.url. Nothing is published.",
                    _ => $"{where}: {status} after {attempts} attempt(s). Nothing is published.",
                });
            }

            var links = response.Headers.TryGetValues("Link", out var values) ? values.ToList() : [];
            return (buffer.GetBuffer(), (int)buffer.Length, links);
        }
    }

    /// <summary>
    /// The delta-seconds of a <c>Retry-After</c> that .NET could not read because it is too large
    /// (its parser stops at <see cref="int.MaxValue"/>: <c>99999999999</c> is no wait it can hold),
    /// as digits without leading zeros, when it is more than <paramref name="longest"/>; else null.
    /// Such an answer asks for a wait beyond any budget: it is not left to the back-off.
    /// </summary>
    private static string? DeltaSecondsBeyond(HttpResponseMessage? response, double longest)
    {
        if (response is null || !response.Headers.NonValidated.TryGetValues("Retry-After", out var values) || values.Count != 1)
        {
            return null;
        }

        var raw = values.ToString().Trim();
        if (raw.Length == 0 || !raw.All(char.IsAsciiDigit))
        {
            return null; // not delta-seconds (RFC 9110: 1*DIGIT), nor anything else .NET can read: the back-off decides
        }

        var digits = raw.TrimStart('0');
        var beyond = digits.Length > 15 || (digits.Length > 0 && long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) > longest);
        return !beyond ? null : digits.Length <= 30 ? digits : string.Create(CultureInfo.InvariantCulture, $"{digits[..30]}… ({digits.Length} digits)");
    }

    /// <summary>
    /// <c>HTTP 503 Service Unavailable</c>: the code and its standard name, never the reason phrase
    /// the server wrote (it may write anything there, the value it refused included, and this text
    /// reaches standard error and the scheduled host's log). A code .NET does not name stays a number.
    /// </summary>
    internal static string Status(HttpStatusCode code)
    {
        // A response whose phrase was never set gives the standard one .NET knows for its code
        // ("Multi-Status", "IM Used"), or none.
        using var standard = new HttpResponseMessage(code);
        var number = ((int)code).ToString(CultureInfo.InvariantCulture);
        return string.IsNullOrEmpty(standard.ReasonPhrase) ? $"HTTP {number}" : $"HTTP {number} {standard.ReasonPhrase}";
    }

    /// <summary>Why a retry's wait cannot fit in the budget left: what failed, the wait and where it comes from, the budget, which setting to change.</summary>
    private string OverBudget(ResilienceContext context, Outcome<HttpResponseMessage> outcome, bool retryAfter, int retry, TimeSpan delay, TimeSpan left)
    {
        var page = context.Properties.GetValue(PageKey, 0);
        var what = outcome switch
        {
            { Result: { } r } => Status(r.StatusCode),
            { Exception: TimeoutRejectedException } => string.Create(CultureInfo.InvariantCulture, $"no complete answer within {http.TimeoutSeconds} s"),
            { Exception: IOException } => "the answer was cut short",
            _ => "the request failed",
        };
        var wait = retryAfter
            ? string.Create(CultureInfo.InvariantCulture, $"the server asks to wait {delay.TotalSeconds:0.#} s before trying again (Retry-After)")
            : string.Create(CultureInfo.InvariantCulture, $"retry {retry} of {http.MaxRetries} would first wait {delay.TotalSeconds:0.#} s (back-off from source.http.retry_delay_seconds, {http.RetryDelaySeconds} s, doubling)");
        var change = retryAfter ? "run later" : "lower retry_delay_seconds";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{context.Properties.GetValue(SourceKey, "")} (page {page}): {what}: {wait}, more than the {Math.Max(left.TotalSeconds, 0):0.#} s left of the time budget source.http.total_timeout_seconds ({http.TotalTimeoutSeconds} s), after {page - 1} page(s) read: waiting could only end in failure. Raise total_timeout_seconds, or {change}. Nothing is published.");
    }

    private async Task ReadBodyAsync(HttpResponseMessage response, MemoryStream buffer, string where, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > maxPageBytes)
        {
            throw new PipelineException($"{where}: the page is {response.Content.Headers.ContentLength} bytes, above source.limits.max_page_bytes ({maxPageBytes}). Nothing is published.");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var chunk = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxPageBytes)
                {
                    throw new PipelineException($"{where}: the page is more than source.limits.max_page_bytes ({maxPageBytes}) bytes. Nothing is published.");
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    public void Dispose() => client.Dispose();

    /// <summary>The budget left when the fetch began (a <see cref="Stopwatch"/> timestamp), and what is left of it now.</summary>
    private readonly record struct Budget(long Since, TimeSpan LeftThen)
    {
        public TimeSpan Left => LeftThen - Stopwatch.GetElapsedTime(Since);
    }
}
