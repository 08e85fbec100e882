using System.Net;
using Automotech.OpenData.Publishing;
using Azure.Core.Pipeline;

namespace Automotech.OpenData.Tests.Publishing;

/// <summary>Transient failures are retried with back-off; a 4xx never is.</summary>
public class RetryPolicyTests
{
    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, 6)]    // 1 try + 5 retries
    [InlineData(HttpStatusCode.InternalServerError, 6)]
    [InlineData(HttpStatusCode.TooManyRequests, 1)]       // 4xx: reported at once
    [InlineData(HttpStatusCode.Conflict, 1)]
    [InlineData(HttpStatusCode.PreconditionFailed, 1)]
    [InlineData(HttpStatusCode.Forbidden, 1)]
    public async Task Only_server_errors_are_retried(HttpStatusCode status, int expectedRequests)
    {
        var handler = new CountingHandler(status);
        var target = AzureBlobTarget.Create(
            new AzureTargetOptions { ConnectionString = "UseDevelopmentStorage=true", Container = "c" },
            TimeSpan.FromMilliseconds(1),
            new HttpClientTransport(new HttpClient(handler)));
        await Assert.ThrowsAnyAsync<Exception>(() => target.TryOpenReadAsync("releases.json", CancellationToken.None));
        Assert.Equal(expectedRequests, handler.Requests);
    }

    private sealed class CountingHandler(HttpStatusCode status) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent("") });
        }
    }
}
