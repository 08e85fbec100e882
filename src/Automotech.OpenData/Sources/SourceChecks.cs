using Automotech.OpenData.Pipelines;
using static System.FormattableString;

namespace Automotech.OpenData.Sources;

/// <summary>The keys each <c>source.kind</c> needs, checked with the rest of the definition (every problem at once).</summary>
internal static class SourceChecks
{
    /// <summary>A week: the schedule's natural period, and well within what a timer can wait.</summary>
    public const int MaxTotalTimeoutSeconds = 7 * 24 * 3600;

    /// <summary>The values <c>source.encoding</c> takes, in any case (<see cref="SourceEncoding.Resolve(string, string, out string)"/> reads each).</summary>
    public static IReadOnlyList<string> Encodings { get; } = ["auto", "utf-8", "utf8", "windows-1252", "cp1252", "iso-8859-1", "latin1"];

    /// <summary>
    /// The values <c>source.delimiter</c> takes: a tab is written <c>tab</c>, <c>\t</c> (plain or
    /// single-quoted: two characters) or <c>"\t"</c> (double-quoted: YAML gives the tab itself).
    /// </summary>
    public static IReadOnlyList<string> Delimiters { get; } = ["auto", ",", ";", "|", "tab", "\\t", "\t"];

    public static IEnumerable<string> Check(SourceDefinition s)
    {
        switch (s.Kind)
        {
            case "csv" or "xlsx" or "sirene":
                if (string.IsNullOrWhiteSpace(s.Path))
                {
                    yield return $"source.path is required (kind {s.Kind}).";
                }

                break;
            case "http-json":
                foreach (var error in CheckHttp(s))
                {
                    yield return error;
                }

                break;
            case "azure-blob":
                if (string.IsNullOrWhiteSpace(s.Container))
                {
                    yield return "source.container is required (kind azure-blob).";
                }

                if (string.IsNullOrWhiteSpace(s.Blob))
                {
                    yield return "source.blob is required (kind azure-blob).";
                }
                else if (s.Blob.Replace('\\', '/').Split('/').Any(segment => segment is "." or ".."))
                {
                    // The SDK resolves "../" in the blob's URL: another container of the account was read.
                    yield return $"source.blob: '{s.Blob}' must name a blob inside source.container, without '.' or '..' segments.";
                }

                if (string.IsNullOrWhiteSpace(s.ConnectionSetting))
                {
                    yield return "source.connection_setting is required (kind azure-blob): the name of the configuration key holding the connection string, e.g. Sources:Blob:ConnectionString.";
                }
                else if (ForeignSetting(s.ConnectionSetting, "source.connection_setting") is { } foreign)
                {
                    yield return foreign;
                }

                if (BlobSource.FormatOf(s) is null)
                {
                    yield return $"source.format must be csv or xlsx (or the blob name end with .csv or .xlsx), not '{s.Format}'.";
                }

                break;
        }

        if (s.Kind is "xlsx" or "azure-blob" && s.HeaderRows is not (1 or 2))
        {
            yield return $"source.header_rows must be 1 or 2, not {s.HeaderRows}.";
        }

        if (s.Kind is "xlsx" or "azure-blob" && s.HeaderRow is < 1)
        {
            yield return $"source.header_row is an Excel row number (1 or more), not {s.HeaderRow}.";
        }

        if (s.HeaderRow is not null && !(s.Kind == "xlsx" || (s.Kind == "azure-blob" && BlobSource.FormatOf(s) == "xlsx")))
        {
            yield return "source.header_row applies to Excel workbooks only (kind xlsx, or an azure-blob .xlsx): a delimited file's header is its first line.";
        }

        if (s.Limits.MaxPageBytes < 1 || s.Limits.MaxPages < 1)
        {
            yield return "source.limits.max_page_bytes and max_pages must be positive.";
        }
    }

    /// <summary>The configuration section whose keys a definition may name for its secrets.</summary>
    public const string SettingsSection = "Sources";

    /// <summary>
    /// A definition names the configuration key of its token or connection string, and the run
    /// sends that key's value to the source's URL: a key outside <c>Sources:</c> could be one of
    /// the run's own secrets (<c>Anonymisation:Key</c>, <c>Publishing:Azure:ConnectionString</c>) or
    /// any environment variable of the CI (its tokens), sent to a host the definition's author
    /// chose. Null when <paramref name="setting"/> is empty or a key under <c>Sources:</c>.
    /// </summary>
    public static string? ForeignSetting(string setting, string yamlKey)
    {
        var prefix = SettingsSection + ":";
        return setting.Length == 0 || (setting.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && setting.Length > prefix.Length && !setting.Contains("::", StringComparison.Ordinal))
            ? null
            : $"{yamlKey}: '{setting}' is not a key of the {SettingsSection} section: a definition may name only a setting under {prefix} (e.g. {prefix}Crm:Token, in the environment {SettingsSection}__Crm__Token), never the run's own secrets (Anonymisation:Key, Publishing:Azure:…) or another environment variable.";
    }

    /// <summary>
    /// A bearer token sent over plain http can be read on the way: only a loopback host (a test
    /// server, a local tunnel) may get one without TLS. Null when the URL and token are fine.
    /// </summary>
    public static string? PlainHttpToken(Uri url, string tokenSetting) =>
        tokenSetting.Length > 0 && url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback
            ? $"source.auth.bearer_token_setting: the token would travel unencrypted to {url.Host} (source.url is http://): use an https URL; over http a token is sent only to 127.0.0.1, ::1 or localhost."
            : null;

    private static IEnumerable<string> CheckHttp(SourceDefinition s)
    {
        if (!Uri.TryCreate(s.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            yield return "source.url must be an absolute http(s) URL (kind http-json).";
        }
        else if (!string.IsNullOrEmpty(url.UserInfo))
        {
            yield return "source.url must not hold credentials: name a setting in source.auth.bearer_token_setting.";
        }
        else if (PlainHttpToken(url, s.Auth.BearerTokenSetting) is { } error)
        {
            yield return error;
        }

        if (ForeignSetting(s.Auth.BearerTokenSetting, "source.auth.bearer_token_setting") is { } foreign)
        {
            yield return foreign;
        }

        var paging = s.Paging;
        if (paging.Style is not ("none" or "page" or "next-link" or "link-header"))
        {
            yield return $"source.paging.style must be none, page, next-link or link-header, not '{paging.Style}'.";
        }

        if (paging.Style == "page" && (paging.Size < 1 || string.IsNullOrWhiteSpace(paging.PageParam) || string.IsNullOrWhiteSpace(paging.SizeParam)))
        {
            yield return "source.paging: style page needs page_param, size_param and a positive size.";
        }

        if (paging.Style == "next-link" && string.IsNullOrWhiteSpace(paging.Next))
        {
            yield return "source.paging.next is required with style next-link (the path of the next page's URL in the body, e.g. links.next).";
        }

        if (s.Nested is not ("reject" or "flatten"))
        {
            yield return $"source.nested must be reject or flatten, not '{s.Nested}'.";
        }

        // Bounds the retries can take (Polly refuses an attempt's timeout under 10 ms and a back-off over
        // a day): a value past them is refused here, with the rest of the definition, not at the run's
        // first request as an internal error. NaN fails every range.
        var http = s.Http;
        if (http.TimeoutSeconds is not (>= 0.01 and <= 3600))
        {
            yield return Invariant($"source.http.timeout_seconds must be in [0.01, 3600], not {http.TimeoutSeconds}.");
        }

        if (http.MaxRetries is not (>= 0 and <= 20))
        {
            yield return Invariant($"source.http.max_retries must be in [0, 20], not {http.MaxRetries}.");
        }

        if (http.RetryDelaySeconds is not (>= 0 and <= 86400))
        {
            yield return Invariant($"source.http.retry_delay_seconds must be in [0, 86400] (a day), not {http.RetryDelaySeconds}.");
        }

        if (http.MaxRetryAfterSeconds is not (>= 0 and <= MaxTotalTimeoutSeconds))
        {
            yield return Invariant($"source.http.max_retry_after_seconds must be in [0, {MaxTotalTimeoutSeconds}] (a week), not {http.MaxRetryAfterSeconds}.");
        }

        if (http.TotalTimeoutSeconds is not (> 0 and <= MaxTotalTimeoutSeconds))
        {
            yield return Invariant($"source.http.total_timeout_seconds must be in (0, {MaxTotalTimeoutSeconds}] (a week), not {http.TotalTimeoutSeconds}.");
        }
    }
}
