using System.Buffers;
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
/// <c>Retry-After</c> header asks (seconds or HTTP date) up to <c>max_retry_after_seconds</c>.
/// Anything else, or a failure that outlasts the retries, is a <see cref="PipelineException"/>
/// naming the URL without its query and the page; the token is never in a message.
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
                return asked > longest
                    ? throw new PipelineException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{args.Context.Properties.GetValue(SourceKey, "")} (page {args.Context.Properties.GetValue(PageKey, 0)}): the server asks to wait {asked.Value.TotalSeconds:0} s (Retry-After), more than source.http.max_retry_after_seconds ({http.MaxRetryAfterSeconds}). Nothing is published."))
                    : asked;
            };
            builder.AddRetry(retry);
        }

        pipeline = builder.AddTimeout(TimeSpan.FromSeconds(http.TimeoutSeconds)).Build();
    }

    public static ResiliencePropertyKey<int> PageKey { get; } = new("page");

    public static ResiliencePropertyKey<string> SourceKey { get; } = new("source");

    /// <summary>A URL as it may be shown: scheme, host, port and path; no query (it may hold secrets), no user info.</summary>
    public static string Safe(Uri url) => url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    /// <summary>The page's body and its <c>Link</c> headers.</summary>
    public async Task<(byte[] Body, int Length, IReadOnlyList<string> Links)> FetchAsync(Uri url, int page, bool sendToken, CancellationToken cancellationToken)
    {
        var where = $"{Safe(url)} (page {page})";
        var attempts = 0;
        var buffer = new MemoryStream();
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(PageKey, page);
        context.Properties.Set(SourceKey, Safe(url));
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
            throw new PipelineException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{where}: no complete answer within {http.TimeoutSeconds} s, {attempts} attempt(s). Nothing is published."), e);
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
                var status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
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
}
