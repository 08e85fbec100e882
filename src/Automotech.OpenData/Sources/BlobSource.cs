using System.Runtime.CompilerServices;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Publishing;
using Automotech.OpenData.Validation;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Automotech.OpenData.Sources;

/// <summary>
/// Reads a CSV file or an Excel workbook stored in an Azure Blob Storage container, streamed
/// (ranged reads of a few MiB, never the whole blob in memory) through <see cref="CsvSource"/>
/// or <see cref="XlsxSource"/>. The connection string comes from the configuration key that
/// <c>source.connection_setting</c> names; it never appears in a message.
/// </summary>
public sealed class BlobSource : IRecordSource
{
    private const int ReadBufferBytes = 4 * 1024 * 1024;

    private readonly BlobClient blob;
    private readonly SourceDefinition source;
    private readonly string format;
    private readonly int batchSize;
    private IRecordSource? inner;

    private BlobSource(BlobClient blob, SourceDefinition source, string format, int batchSize)
    {
        this.blob = blob;
        this.source = source;
        this.format = format;
        this.batchSize = batchSize;
        Description = $"blob {source.Container}/{source.Blob} at {blob.Uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped)}";
    }

    public string Description { get; }

    public string Details => inner is null ? format : $"{format}, {inner.Details}";

    public long SizeBytes { get; private set; }

    public long RowsRead => inner?.RowsRead ?? 0;

    public double Fraction => inner?.Fraction ?? 0;

    /// <summary><c>csv</c> or <c>xlsx</c>: declared, else from the blob's extension; null when neither.</summary>
    public static string? FormatOf(SourceDefinition source)
    {
        var format = source.Format ?? Path.GetExtension(source.Blob).TrimStart('.').ToLowerInvariant();
        return format is "csv" or "xlsx" ? format : null;
    }

    public static BlobSource Create(SourceDefinition source, RunOptions options) => Create(source, options, retry: null);

    /// <param name="retry">Replaces the SDK's retries (count and first back-off): tests keep an unreachable account fast.</param>
    internal static BlobSource Create(SourceDefinition source, RunOptions options, (int MaxRetries, TimeSpan FirstDelay)? retry)
    {
        var key = source.ConnectionSetting;
        if (SourceChecks.ForeignSetting(key, "source.connection_setting") is { } foreign)
        {
            throw new PipelineException(foreign);
        }

        var connection = options.Settings(key);
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new PipelineException($"source.connection_setting names '{key}', which is not configured (set it in the environment as {key.Replace(":", "__", StringComparison.Ordinal)}, or with --{key}=…).");
        }

        var clientOptions = source.ServiceVersion is { } version
            ? new BlobClientOptions(Enum.TryParse<BlobClientOptions.ServiceVersion>("V" + version.Replace('-', '_'), out var parsed)
                ? parsed
                : throw new PipelineException($"source.service_version '{version}' is not a version this SDK knows (e.g. 2026-06-06)."))
            : new BlobClientOptions();
        if (retry is { } r)
        {
            clientOptions.Retry.MaxRetries = r.MaxRetries;
            clientOptions.Retry.Delay = r.FirstDelay;
        }

        BlobServiceClient service;
        try
        {
            service = new BlobServiceClient(connection, clientOptions);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            // Not the exception's message: it could quote the secret.
            throw new PipelineException($"The setting '{key}' is not a valid storage connection string.", e);
        }

        if (Publishing.BlobEndpoint.Problem(service.Uri, $"The setting '{key}'") is { } problem)
        {
            throw new PipelineException(problem);
        }

        var format = FormatOf(source) ?? throw new PipelineException($"source.format must be csv or xlsx, not '{source.Format}'.");
        return new BlobSource(service.GetBlobContainerClient(source.Container).GetBlobClient(source.Blob), source, format, options.BatchSize);
    }

    public async IAsyncEnumerable<ColumnBatch> ReadAsync(IRejectedRowSink sink, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            SizeBytes = properties.Value.ContentLength;
        }
        catch (RequestFailedException e) when (e.Status > 0)
        {
            throw Failure(e, "cannot be opened");
        }
        catch (Exception e) when (AzureTransport.IsTransport(e, cancellationToken))
        {
            throw Unreachable(e, "cannot be opened");
        }

        // The ETag is pinned: a blob replaced while it is read fails the run instead of mixing two versions.
        Stream Open() => blob.OpenRead(new BlobOpenReadOptions(allowModifications: false) { BufferSize = ReadBufferBytes }, cancellationToken);
        inner = format == "csv"
            ? new CsvSource(Open, Description, SizeBytes, source.Schema, source.Encoding, source.Delimiter, batchSize, source.Limits)
            : new XlsxSource(Open, Description, SizeBytes, source.Schema, source.Sheet, source.HeaderRows, batchSize, source.Limits, source.HeaderRow);
        await using var batches = inner.ReadAsync(sink, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await batches.MoveNextAsync();
            }
            catch (RequestFailedException e) when (e.Status > 0)
            {
                throw Failure(e, "could not be read to the end");
            }
            catch (Exception e) when (AzureTransport.IsTransport(e, cancellationToken))
            {
                throw Unreachable(e, "could not be read to the end");
            }

            if (!more)
            {
                break;
            }

            yield return batches.Current;
        }
    }

    private PipelineException Failure(RequestFailedException e, string what)
    {
        var reason = e.Status switch
        {
            404 => $"not found ({e.ErrorCode}): check source.container and source.blob",
            401 or 403 => $"access denied ({e.ErrorCode}): check the connection string in {source.ConnectionSetting}",
            _ => $"HTTP {e.Status} {e.ErrorCode}",
        };
        return new PipelineException($"{Description} {what}: {reason}. Nothing is published.", e);
    }

    /// <summary>
    /// Names the blob and the cause by its code only (ConnectionRefused, NameResolutionError…):
    /// the SDK's messages can quote the request's URL, SAS included, so neither they nor the
    /// exception travel on.
    /// </summary>
    private PipelineException Unreachable(Exception e, string what)
    {
        var attempts = e is AggregateException a ? a.InnerExceptions : [e];
        return new PipelineException($"{Description} {what}: the storage account could not be reached ({AzureTransport.Cause(attempts[^1])}) after {attempts.Count} attempt(s): check the endpoint in the connection string of {source.ConnectionSetting}, and the network. Nothing is published.");
    }
}
