using System.Net.Sockets;
using Azure;

namespace Automotech.OpenData.Publishing;

/// <summary>How the Azure SDK says a storage account could not be reached, for the blob source and the blob target.</summary>
internal static class AzureTransport
{
    /// <summary>
    /// A <see cref="RequestFailedException"/> without a status (its transport failed), an
    /// <see cref="HttpRequestException"/>, the SDK's own network timeout (a cancellation nobody
    /// asked for), or, once its retries are spent, an <see cref="AggregateException"/> of those
    /// ("Retry failed after 6 tries").
    /// </summary>
    public static bool IsTransport(Exception e, CancellationToken cancellationToken) => e switch
    {
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(i => i is IOException || IsTransport(i, cancellationToken)),
        RequestFailedException { Status: 0 } or HttpRequestException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>
    /// The cause by its code only (ConnectionRefused, NameResolutionError…): the SDK's messages
    /// can quote the request's URL, SAS included, so neither they nor the exception travel on.
    /// </summary>
    public static string Cause(Exception e)
    {
        var chain = new List<Exception>();
        for (var x = e; x is not null; x = x.InnerException)
        {
            chain.Add(x);
        }

        return chain.OfType<SocketException>().FirstOrDefault() is { } socket ? socket.SocketErrorCode.ToString()
            : chain.OfType<HttpRequestException>().FirstOrDefault(h => h.HttpRequestError != HttpRequestError.Unknown) is { } http ? http.HttpRequestError.ToString()
            : chain.OfType<OperationCanceledException>().Any() ? "timed out"
            : chain[^1].GetType().Name;
    }

    /// <summary>The attempts the SDK made: the inner exceptions of its final <see cref="AggregateException"/>, else one.</summary>
    public static int Attempts(Exception e) => e is AggregateException a ? a.InnerExceptions.Count : 1;
}
