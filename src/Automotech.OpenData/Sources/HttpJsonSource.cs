using System.Diagnostics;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Validation;
using Microsoft.Extensions.Logging;

namespace Automotech.OpenData.Sources;

/// <summary>
/// Reads the records of a paged HTTP JSON API (<c>source.kind: http-json</c>). Pages are
/// fetched one at a time (bounded by <c>max_page_bytes</c>), parsed, and their records added to
/// the current batch: memory holds one page and one batch (and a 16-byte hash of each page's
/// URL, to catch paging loops), whatever the number of pages. The
/// "line" of a record is its running number from 1 over all pages; messages say the page.
/// </summary>
public sealed partial class HttpJsonSource : IRecordSource
{
    private readonly SourceDefinition source;
    private readonly Func<string, string?> settings;
    private readonly int batchSize;
    private readonly ILogger logger;
    private readonly Uri first;

    public HttpJsonSource(SourceDefinition source, Func<string, string?> settings, int batchSize, ILogger logger)
    {
        this.source = source;
        this.settings = settings;
        this.batchSize = batchSize;
        this.logger = logger;
        first = Uri.TryCreate(source.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new PipelineException("source.url must be an absolute http(s) URL.");
        if ((SourceChecks.ForeignSetting(source.Auth.BearerTokenSetting, "source.auth.bearer_token_setting") ?? SourceChecks.PlainHttpToken(first, source.Auth.BearerTokenSetting)) is { } error)
        {
            throw new PipelineException(error);
        }

        Description = ShownUrl.Of(first);
    }

    /// <summary>Replaces the HTTP handler (tests).</summary>
    internal HttpMessageHandler? Handler { get; init; }

    public string Description { get; }

    public string Details => $"{Pages} page(s), paging {source.Paging.Style}";

    public long SizeBytes => 0;

    public long RowsRead { get; private set; }

    public double Fraction { get; private set; }

    public int Pages { get; private set; }

    public async IAsyncEnumerable<ColumnBatch> ReadAsync(IRejectedRowSink sink, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tokenSetting = source.Auth.BearerTokenSetting;
        string? token = null;
        if (tokenSetting.Length > 0)
        {
            token = settings(tokenSetting);
            if (string.IsNullOrWhiteSpace(token))
            {
                throw new PipelineException($"source.auth.bearer_token_setting names '{tokenSetting}', which is not configured (set it in the environment as {tokenSetting.Replace(":", "__", StringComparison.Ordinal)}, or with --{tokenSetting}=…).");
            }
        }

        var limits = source.Limits;
        var paging = source.Paging;
        using var fetcher = new HttpPageFetcher(source.Http, limits.MaxPageBytes, token, tokenSetting, logger, Handler);
        var mapper = new JsonRecordMapper(source.Schema, source.Nested == "flatten");
        var values = new string?[source.Schema.Fields.Count];
        var batch = new ColumnBatch(source.Schema.FieldNames, batchSize);
        Uri? url = paging.Style == "page" ? PageUrl(paging.FirstPage) : first;

        // A next link back to a page already read would loop until max_pages: each URL read is
        // remembered (a 128-bit hash of it, so memory stays small), with its page number.
        var fetched = new Dictionary<UInt128, int>();
        UInt128? previousBody = null;

        // The time budget counts only the waits for the API (a slow consumer of the batches is not
        // the API's fault): the token is armed with what is left while a page is fetched.
        var budget = TimeSpan.FromSeconds(source.Http.TotalTimeoutSeconds);
        var waited = new Stopwatch();
        using var outOfTime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (url is not null)
        {
            var key = XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(url.AbsoluteUri));
            if (!fetched.TryAdd(key, Pages + 1))
            {
                var earlier = fetched[key];
                throw new PipelineException($"{Description}: page {Pages} links back to page {earlier} ({ShownUrl.Of(url)}): the API's paging loops. Nothing is published.");
            }

            if (++Pages > limits.MaxPages)
            {
                throw new PipelineException($"{Description}: more than source.limits.max_pages ({limits.MaxPages}) pages. Nothing is published.");
            }

            var where = $"{ShownUrl.Of(url)} (page {Pages})";
            byte[] body;
            int length;
            IReadOnlyList<string> links;
            var left = budget - waited.Elapsed is var rest && rest > TimeSpan.Zero ? rest : TimeSpan.Zero;
            outOfTime.CancelAfter(left);
            waited.Start();
            try
            {
                (body, length, links) = await fetcher.FetchAsync(url, Pages, SameOrigin(url), left, outOfTime.Token);
            }
            catch (Exception e) when (outOfTime.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new PipelineException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{where}: the time budget of source.http.total_timeout_seconds ({source.Http.TotalTimeoutSeconds} s) is used up waiting for the API, after {Pages - 1} page(s) read. Nothing is published."), e);
            }
            finally
            {
                waited.Stop();
                outOfTime.CancelAfter(Timeout.InfiniteTimeSpan);
            }

            var bodyHash = XxHash128.HashToUInt128(body.AsSpan(0, length));
            using var document = Parse(body, length, where);
            var records = Find(document.RootElement, source.Items) is { ValueKind: JsonValueKind.Array } array
                ? array
                : throw new PipelineException($"{where}: no array of records at '{(source.Items.Length == 0 ? "(the body)" : source.Items)}'. Nothing is published.");

            // An API that ignores the page parameter answers the same page forever: caught before its records are read again.
            if (paging.Style == "page" && bodyHash == previousBody && records.GetArrayLength() > 0)
            {
                throw new PipelineException($"{where}: the same records as page {Pages - 1} (an identical body): the API seems to ignore source.paging.page_param '{paging.PageParam}'. Nothing is published.");
            }

            previousBody = bodyHash;
            var count = 0;
            foreach (var record in records.EnumerateArray())
            {
                count++;
                if (++RowsRead > limits.MaxRows)
                {
                    throw new PipelineException($"{Description}: more than source.limits.max_rows ({limits.MaxRows}) records. Nothing is published.");
                }

                var errors = mapper.Map(record, RowsRead, Pages, values, sink);
                if (errors.Count > 0)
                {
                    sink.Reject(new RejectedRow(RowsRead, [.. errors], [.. values]));
                    continue;
                }

                var row = batch.AddRow(RowsRead);
                for (var f = 0; f < values.Length; f++)
                {
                    batch.Set(row, f, values[f]);
                }

                if (batch.IsFull)
                {
                    yield return batch;
                    batch.Clear();
                }
            }

            url = paging.Style switch
            {
                "page" => count == 0 ? null : PageUrl(paging.FirstPage + Pages),
                "next-link" => NextFromBody(document.RootElement, url, where),
                "link-header" => NextFromHeader(links, url),
                _ => null,
            };
        }

        for (var f = 0; f < mapper.Seen.Length; f++)
        {
            if (!mapper.Seen[f] && RowsRead > 0)
            {
                var name = source.Schema.Fields[f].Name;
                sink.Warn(new RowError(1, name, "missing-label", "missing-label", $"aucun enregistrement n'a de propriété « {name} » : le champ est vide", IsWarning: true));
            }
        }

        Fraction = 1;
        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static JsonDocument Parse(byte[] body, int length, string where)
    {
        try
        {
            return JsonDocument.Parse(body.AsMemory(0, length), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            // Located, never quoted: System.Text.Json's message quotes an invalid literal and all
            // that follows it in the body (the API's values, personal ones among them), and this
            // message reaches standard error and the scheduled host's log.
            var at = e.LineNumber is { } line && e.BytePositionInLine is { } position
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" (line {line + 1}, byte {position + 1})")
                : "";
            throw new PipelineException($"{where}: the body is not valid JSON, malformed or cut short{at}. Nothing is published.", e);
        }
    }

    /// <summary>The element at a dot path ("data", "result.items"); the root for an empty path.</summary>
    private static JsonElement? Find(JsonElement root, string path)
    {
        var element = root;
        foreach (var name in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element;
    }

    private Uri PageUrl(int page)
    {
        var builder = new UriBuilder(first);
        var query = builder.Query.TrimStart('?');
        var paging = source.Paging;
        var added = $"{Uri.EscapeDataString(paging.PageParam)}={page}&{Uri.EscapeDataString(paging.SizeParam)}={paging.Size}";
        builder.Query = query.Length == 0 ? added : $"{query}&{added}";
        return builder.Uri;
    }

    private Uri? NextFromBody(JsonElement root, Uri current, string where)
    {
        var next = Find(root, source.Paging.Next);
        if (next is not { ValueKind: JsonValueKind.String } link || string.IsNullOrWhiteSpace(link.GetString()))
        {
            return next is null or { ValueKind: JsonValueKind.Null or JsonValueKind.String }
                ? null
                : throw new PipelineException($"{where}: '{source.Paging.Next}' is not a URL. Nothing is published.");
        }

        return Resolve(current, link.GetString()!, where);
    }

    private Uri? NextFromHeader(IReadOnlyList<string> headers, Uri current)
    {
        foreach (Match match in headers.SelectMany(h => LinkPattern().Matches(h)))
        {
            var relations = match.Groups["rel"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (relations.Contains("next", StringComparer.OrdinalIgnoreCase))
            {
                return Resolve(current, match.Groups["url"].Value, $"{ShownUrl.Of(current)} (page {Pages})");
            }
        }

        return null;
    }

    private static Uri Resolve(Uri current, string link, string where) =>
        Uri.TryCreate(current, link, out var next) && next.Scheme is "http" or "https"
            ? next
            : throw new PipelineException($"{where}: the next page's link is not an http(s) URL. Nothing is published.");

    /// <summary>
    /// The token goes only where the pipeline's URL points, scheme included: a next link to
    /// another host or port, or from https down to http, gets none.
    /// </summary>
    private bool SameOrigin(Uri url) =>
        Uri.Compare(url, first, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0;

    // <url>; rel="next"; … — the rel value may be quoted and list several relations.
    [GeneratedRegex("""<(?<url>[^>]*)>[^,<]*?;\s*rel\s*=\s*"?(?<rel>[^";,]*)"?""", RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LinkPattern();
}
