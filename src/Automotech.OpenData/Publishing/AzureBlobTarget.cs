using System.Security.Cryptography;
using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Automotech.OpenData.Publishing;

/// <summary>The Azure settings of <c>Publishing:Azure:*</c>.</summary>
public sealed record AzureTargetOptions
{
    /// <summary>A connection string (secret: from the environment or a secret store only).</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Or the account's blob endpoint, with <c>DefaultAzureCredential</c> (managed identity, federated CI credentials…).</summary>
    public string? AccountUrl { get; init; }

    /// <summary><c>$web</c>: the container a storage account serves as its static website.</summary>
    public string Container { get; init; } = "$web";

    /// <summary>Pins the REST API version (e.g. <c>2026-06-06</c> for Azurite), or null for the SDK's.</summary>
    public string? ServiceVersion { get; init; }
}

/// <summary>
/// Publishes into a blob container (the <c>$web</c> container of a static website). It lists
/// the container once, at its first call (the run's reading of <c>releases.json</c>), and
/// compares Content-MD5 computed locally, so unchanged files are not uploaded; every blob gets its
/// Content-Type, Cache-Control (immutable for version folders) and Content-MD5. Every blob is
/// written only if it is still as the run first saw it (ETag condition: the one listed, or read,
/// or absent): of two concurrent publishers, the second fails clearly instead of putting back the
/// pages, catalogue or feed of the release it had read over the other's newer ones. Transient
/// failures are retried by the SDK with exponential back-off.
/// </summary>
public sealed class AzureBlobTarget : IPublishTarget
{
    private readonly BlobContainerClient container;
    private readonly Dictionary<string, ETag> readETags = new(StringComparer.Ordinal);
    private Dictionary<string, (long Length, byte[]? Md5, ETag ETag)>? listing;

    public AzureBlobTarget(BlobContainerClient container) => this.container = container;

    public string Description => $"container {container.Name} at {ShownUrl.Of(container.Uri)}";

    /// <summary>
    /// Set by <c>verify</c>, which only reads: its errors say what it needs (read and list) and
    /// nothing of a publish's aftermath.
    /// </summary>
    public bool ReadsOnly { get; set; }

    private string Aftermath => ReadsOnly ? "" : " The previous catalogue stays live; the next run completes the publish.";

    public static AzureBlobTarget Create(AzureTargetOptions options) => Create(options, TimeSpan.FromSeconds(0.8), transport: null);

    /// <param name="firstRetryDelay">The first back-off (doubled each try, at most 30 s).</param>
    /// <param name="transport">Replaces the HTTP transport (tests).</param>
    internal static AzureBlobTarget Create(AzureTargetOptions options, TimeSpan firstRetryDelay, Azure.Core.Pipeline.HttpPipelineTransport? transport)
    {
        var clientOptions = options.ServiceVersion is { } version
            ? new BlobClientOptions(ParseVersion(version))
            : new BlobClientOptions();
        clientOptions.RetryPolicy = new TransientOnlyRetryPolicy(5, Azure.Core.DelayStrategy.CreateExponentialDelayStrategy(firstRetryDelay, TimeSpan.FromSeconds(30)));
        if (transport is not null)
        {
            clientOptions.Transport = transport;
        }

        BlobServiceClient service;
        if (!string.IsNullOrEmpty(options.ConnectionString))
        {
            try
            {
                service = new BlobServiceClient(options.ConnectionString, clientOptions);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                // The SDK's message is generic; the connection string itself is a secret.
                throw new PipelineException("Publishing:Azure:ConnectionString is malformed: it must be the storage account's connection string as the Azure portal gives it (with the account's name and key, or its blob endpoint and a shared access signature).");
            }

            if (BlobEndpoint.Problem(service.Uri, "Publishing:Azure:ConnectionString") is { } problem)
            {
                throw new PipelineException(problem);
            }
        }
        else if (Uri.TryCreate(options.AccountUrl, UriKind.Absolute, out var url))
        {
            if (url.UserInfo.Length > 0)
            {
                throw new PipelineException("Publishing:Azure:AccountUrl must not hold credentials (user:password@): the run signs in with DefaultAzureCredential; or give a connection string in Publishing:Azure:ConnectionString.");
            }

            if (url.Scheme != Uri.UriSchemeHttps)
            {
                throw new PipelineException($"Publishing:Azure:AccountUrl must be an https:// URL (a sign-in token never travels over http), not {ShownUrl.Of(url)}.");
            }

            service = new BlobServiceClient(url, new DefaultAzureCredential(), clientOptions);
        }
        else
        {
            throw new PipelineException("Publishing:Target is AzureBlob: set Publishing:Azure:ConnectionString (secret, from the environment) or Publishing:Azure:AccountUrl.");
        }

        return new AzureBlobTarget(service.GetBlobContainerClient(options.Container));
    }

    /// <summary>The lock blob's lease: finite, so that a killed run's lock expires by itself; renewed every third of it.</summary>
    internal TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A lease on the blob <c>.publish-lock</c> (created empty if absent, never listed or removed as
    /// data), taken for <see cref="LeaseDuration"/> and renewed in the background until the run
    /// ends, then released, on failure and cancellation too. Its metadata name the holder (host name
    /// and start time, nothing secret). A second publisher fails at once instead of waiting: the
    /// holder may run for an hour, and a CI job or an operator is better told now. A run that was
    /// killed leaves a lease that expires within <see cref="LeaseDuration"/>: the error says when to
    /// run again.
    /// </summary>
    public async Task<PublishLock> LockAsync(CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(PublishLock.FileName);
        var lease = blob.GetBlobLeaseClient();
        await GuardedAsync($"taking the publish lock ({PublishLock.FileName})", async () =>
        {
            try
            {
                await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "text/plain", CacheControl = "no-store" },
                }, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // It exists (leased or not): the lease decides.
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                throw new PipelineException($"{Description} does not exist: create it (for a static website, enable the feature to get $web).", e);
            }

            try
            {
                await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                throw await HeldElsewhereAsync(blob, e, cancellationToken);
            }

            var metadata = new Dictionary<string, string>
            {
                ["host"] = Ascii(Environment.MachineName),
                ["started"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            };
            await blob.SetMetadataAsync(metadata, new BlobRequestConditions { LeaseId = lease.LeaseId }, cancellationToken);
            return true;
        }, cancellationToken);

        return new LeaseLock(this, lease);
    }

    private async Task<PipelineException> HeldElsewhereAsync(BlobClient blob, RequestFailedException e, CancellationToken cancellationToken)
    {
        var holder = "";
        try
        {
            var metadata = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.Metadata;
            if (metadata.TryGetValue("host", out var host) && metadata.TryGetValue("started", out var started))
            {
                holder = $" (host {host}, started {started})";
            }
        }
        catch (RequestFailedException)
        {
            // Who holds it is a courtesy: the refusal is what matters.
        }

        var retry = DateTimeOffset.UtcNow + LeaseDuration;
        return new PipelineException(
            $"{Description} is being published by another run{holder}: its lease on {PublishLock.FileName} is held, and there is one publisher at a time. "
            + $"Nothing was published by this run. Run again when the other has finished; if it was killed, its lease expires by itself within {LeaseDuration.TotalSeconds:0} s: run again after {retry:HH:mm:ss} UTC.", e);
    }

    private static string Ascii(string text)
    {
        var ascii = new string([.. text.Select(c => c is >= ' ' and <= '~' ? c : '?')]);
        return ascii.Length > 0 ? ascii : "?";
    }

    /// <summary>The held lease, renewed every third of its duration; lost (the run stopped) when no renewal succeeds within its duration.</summary>
    private sealed class LeaseLock : PublishLock
    {
        private readonly AzureBlobTarget target;
        private readonly BlobLeaseClient lease;
        private readonly CancellationTokenSource stop = new();
        private readonly CancellationTokenSource lost = new();
        private readonly Task renewing;
        private string? lostReason;

        public LeaseLock(AzureBlobTarget target, BlobLeaseClient lease)
        {
            this.target = target;
            this.lease = lease;
            renewing = Task.Run(RenewAsync);
        }

        public override CancellationToken Lost => lost.Token;

        public override string? LostReason => lostReason;

        private async Task RenewAsync()
        {
            var duration = target.LeaseDuration;
            var renewed = DateTimeOffset.UtcNow;
            var interval = duration / 3;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(interval, stop.Token);
                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                    attempt.CancelAfter(renewed + duration - DateTimeOffset.UtcNow is { } left && left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
                    await lease.RenewAsync(cancellationToken: attempt.Token);
                    renewed = DateTimeOffset.UtcNow;
                    interval = duration / 3;
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Any failure (an answer, a network error, a sign-in failure): this task must not fault, or the release would throw over the run's own error.
                    var code = e is RequestFailedException { Status: > 0 } r ? $"HTTP {r.Status} {r.ErrorCode}" : e.GetType().Name;
                    if (e is RequestFailedException { Status: >= 400 and < 500 } || DateTimeOffset.UtcNow - renewed >= duration)
                    {
                        lostReason = $"{target.Description}: the publish lock's lease on {PublishLock.FileName} could not be renewed ({code}): another publisher could take it, so this run stopped where it was; the next run completes the publish.";
                        await lost.CancelAsync();
                        return;
                    }

                    interval = TimeSpan.FromSeconds(1); // retry soon, within the lease's duration
                }
            }
        }

        public override async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await renewing;
            if (!lost.IsCancellationRequested)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    await lease.ReleaseAsync(cancellationToken: timeout.Token);
                }
                catch (Exception e) when (e is RequestFailedException or OperationCanceledException or AggregateException or HttpRequestException or IOException)
                {
                    // Best effort: an unreleased lease expires by itself within its duration.
                }
            }

            stop.Dispose();
            lost.Dispose();
        }
    }

    public async Task<Stream?> TryOpenReadAsync(string path, CancellationToken cancellationToken)
    {
        // The run's first call: the listing is the state the run starts from, and every write is conditioned on it.
        listing ??= await ListAsync(cancellationToken);
        return await ReadAsync(path, cancellationToken);
    }

    private Task<Stream?> ReadAsync(string path, CancellationToken cancellationToken) => GuardedAsync($"reading {path}", async () =>
    {
        try
        {
            // Streamed, not loaded: the previous version's CSV can be far larger than the heap cap.
            var result = await container.GetBlobClient(path).DownloadStreamingAsync(cancellationToken: cancellationToken);
            readETags[path] = result.Value.Details.ETag;
            return (Stream?)result.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            readETags[path] = default; // absent when read: must still be absent when written
            return null;
        }
    }, cancellationToken);

    public Task<Stream?> ReadCurrentAsync(string path, CancellationToken cancellationToken) => GuardedAsync($"reading {path}", async () =>
    {
        try
        {
            return (Stream?)(await container.GetBlobClient(path).DownloadStreamingAsync(cancellationToken: cancellationToken)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }, cancellationToken);

    /// <summary>The lease state of <c>.publish-lock</c> (read, never taken), its holder from its metadata, and its ETag.</summary>
    public Task<PublishLockState> LockStateAsync(CancellationToken cancellationToken) => GuardedAsync($"reading the publish lock ({PublishLock.FileName})", async () =>
    {
        try
        {
            var properties = (await container.GetBlobClient(PublishLock.FileName).GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            var holder = properties.Metadata.TryGetValue("host", out var host) && properties.Metadata.TryGetValue("started", out var started)
                ? $"host {Ascii(host)}, started {Ascii(started)}"
                : null;
            return new PublishLockState(properties.LeaseState == LeaseState.Leased, holder, properties.ETag.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return new PublishLockState(false); // no publisher ever locked it (or the container is absent: the listing says so)
        }
    }, cancellationToken);

    public async Task<bool> HoldsAsync(StagedFile file, CancellationToken cancellationToken)
    {
        listing ??= await ListAsync(cancellationToken);
        return listing.TryGetValue(file.Path, out var blob)
            && blob.Length == file.Bytes
            && blob.Md5 is { } md5
            && md5.AsSpan().SequenceEqual(Md5(file.LocalPath));
    }

    public Task<bool> StillAsReadAsync(string path, CancellationToken cancellationToken) => GuardedAsync($"reading {path}'s properties", async () =>
    {
        if (!readETags.TryGetValue(path, out var read))
        {
            return true;
        }

        try
        {
            return (await container.GetBlobClient(path).GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag == read;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return read == default;
        }
    }, cancellationToken);

    public Task WriteAsync(StagedFile file, CancellationToken cancellationToken)
    {
        var md5 = Md5(file.LocalPath);
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders
            {
                ContentType = PublishedFiles.MediaType(file.Path),
                CacheControl = PublishedFiles.CacheControl(file.Path),
                ContentHash = md5,
            },
        };
        if (Publisher.Stage(file.Path) == 0)
        {
            // Version files are created, never replaced: a concurrent publisher cannot alter them.
            options.Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All };
        }
        else if (SeenETag(file.Path) is { } etag)
        {
            options.Conditions = etag == default ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = etag };
        }

        return GuardedAsync($"writing {file.Path}", async () =>
        {
            try
            {
                await using var stream = File.OpenRead(file.LocalPath);
                var response = await container.GetBlobClient(file.Path).UploadAsync(stream, options, cancellationToken);
                if (readETags.ContainsKey(file.Path))
                {
                    readETags[file.Path] = response.Value.ETag;
                }

                if (listing is not null)
                {
                    listing[file.Path] = (file.Bytes, md5, response.Value.ETag);
                }

                return true;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                throw new PipelineException(
                    $"{file.Path} changed in {Description} since this run read it, or already holds other content: another publisher ran at the same time. "
                    + "This run stops without overwriting anything; the next run starts from what the other published.", e);
            }
        }, cancellationToken);
    }

    /// <summary>The ETag the blob had when this run first saw it (read, else listed); default when it was absent; null when the run never looked.</summary>
    private ETag? SeenETag(string path) =>
        readETags.TryGetValue(path, out var read) ? read
        : listing is null ? null
        : listing.TryGetValue(path, out var listed) ? listed.ETag
        : default(ETag);

    /// <remarks>
    /// Files only. In an account with a hierarchical namespace (Data Lake Storage, which serves a
    /// static website too), folders are real and a flat listing returns each one as a zero-length
    /// blob with the metadata <c>hdi_isfolder=true</c>: not a file that verify should call unlisted,
    /// nor one the clean-up of latest/ should delete (a folder that is not empty cannot be).
    /// </remarks>
    public Task<IReadOnlyList<string>> ListAsync(string folder, CancellationToken cancellationToken) => GuardedAsync($"listing {folder}", async () =>
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = folder, Traits = BlobTraits.Metadata }, cancellationToken))
        {
            if (!IsFolder(blob))
            {
                names.Add(blob.Name);
            }
        }

        return (IReadOnlyList<string>)names;
    }, cancellationToken);

    /// <summary>A folder of a hierarchical namespace, as a flat listing returns it.</summary>
    private static bool IsFolder(BlobItem blob) =>
        blob.Metadata is { } metadata && metadata.TryGetValue("hdi_isfolder", out var isFolder) && string.Equals(isFolder, "true", StringComparison.OrdinalIgnoreCase);

    // Since latest/ is cleaned, publishing needs the right to delete blobs as well (a refusal says so).
    public Task DeleteAsync(string path, CancellationToken cancellationToken) => GuardedAsync($"removing {path} (no longer published) from latest/", async () =>
    {
        await container.GetBlobClient(path).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        listing?.Remove(path);
        return true;
    }, cancellationToken);

    /// <summary>
    /// Runs one call to the service and turns what the SDK throws into a clear error naming the
    /// step: an account that cannot be reached after the retries, a refusal (by status), a failed
    /// sign-in. The call's own answers (a 404 where absence is normal, a failed condition) come first.
    /// </summary>
    private async Task<T> GuardedAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (AzureTransport.IsTransport(e, cancellationToken))
        {
            throw Unreachable(e, what);
        }
        catch (RequestFailedException e) when (e.Status > 0)
        {
            throw Refused(e, what);
        }
        catch (AuthenticationFailedException e)
        {
            throw SignInFailed(e, what);
        }
    }

    /// <summary>The sign-in failed (AccountUrl with DefaultAzureCredential and no usable identity), as a clear error.</summary>
    private PipelineException SignInFailed(AuthenticationFailedException e, string what) =>
        new($"{Description}: {what}: signing in to the storage account failed ({e.GetType().Name}): with Publishing:Azure:AccountUrl the run needs an identity (a managed identity, the CI's federated credential, or az login) allowed to {(ReadsOnly ? "read and list blobs" : "read, list, write and delete blobs")}.{Aftermath}");

    /// <summary>An answer that refuses (403: the credential may not do it; other statuses by code), as a clear error.</summary>
    private PipelineException Refused(RequestFailedException e, string what)
    {
        var reason = e.Status is not (401 or 403) ? $"HTTP {e.Status} {e.ErrorCode}"
            : ReadsOnly ? $"access denied ({e.ErrorCode}): the credential of Publishing:Azure must be allowed to read and list blobs (a SAS with r and l; or a role such as Storage Blob Data Reader); verify writes nothing"
            : $"access denied ({e.ErrorCode}): the credential of Publishing:Azure must be allowed to read, list, write and delete blobs (a SAS with r, l, w and d; or a role such as Storage Blob Data Contributor)";
        return new PipelineException($"{Description}: {what}: {reason}.{Aftermath}");
    }

    private PipelineException Unreachable(Exception e, string what)
    {
        var last = e is AggregateException { InnerExceptions.Count: > 0 } a ? a.InnerExceptions[^1] : e;
        return new PipelineException($"{Description}: {what}: the storage account could not be reached ({AzureTransport.Cause(last)}) after {AzureTransport.Attempts(e)} attempt(s): check Publishing:Azure and the network.{Aftermath}");
    }

    private Task<Dictionary<string, (long, byte[]?, ETag)>> ListAsync(CancellationToken cancellationToken) => GuardedAsync("listing the container", async () =>
    {
        var blobs = new Dictionary<string, (long, byte[]?, ETag)>(StringComparer.Ordinal);
        try
        {
            await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions(), cancellationToken))
            {
                blobs[blob.Name] = (blob.Properties.ContentLength ?? -1, blob.Properties.ContentHash, blob.Properties.ETag ?? default);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new PipelineException($"{Description} does not exist: create it (for a static website, enable the feature to get $web).", e);
        }

        return blobs;
    }, cancellationToken);

    private static byte[] Md5(string path)
    {
        using var stream = File.OpenRead(path);
#pragma warning disable CA5351 // MD5 is what Blob Storage's Content-MD5 integrity check uses, not a security hash
        return MD5.HashData(stream);
#pragma warning restore CA5351
    }

    private static BlobClientOptions.ServiceVersion ParseVersion(string version)
    {
        var name = "V" + version.Replace('-', '_');
        return Enum.TryParse<BlobClientOptions.ServiceVersion>(name, out var parsed)
            ? parsed
            : throw new PipelineException($"Publishing:Azure:ServiceVersion '{version}' is not a version this SDK knows (e.g. 2026-06-06).");
    }

    /// <summary>
    /// Retries what may pass on a second try (5xx, timeouts, dropped connections) and never a
    /// 4xx: a conflict, a failed condition or a throttling answer is reported at once, so a
    /// concurrent publisher or a wrong setting fails clearly instead of hammering the service.
    /// </summary>
    private sealed class TransientOnlyRetryPolicy(int maxRetries, Azure.Core.DelayStrategy delay) : Azure.Core.Pipeline.RetryPolicy(maxRetries, delay)
    {
        protected override bool ShouldRetry(Azure.Core.HttpMessage message, Exception? exception) =>
            !(message.HasResponse && message.Response.Status is >= 400 and < 500) && base.ShouldRetry(message, exception);

        protected override ValueTask<bool> ShouldRetryAsync(Azure.Core.HttpMessage message, Exception? exception) =>
            message.HasResponse && message.Response.Status is >= 400 and < 500 ? ValueTask.FromResult(false) : base.ShouldRetryAsync(message, exception);
    }
}
