using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Automotech.OpenData.Pipelines;
using Automotech.OpenData.Sources;

namespace Automotech.OpenData.Tests.Sources;

/// <summary>
/// An azure-blob source whose account cannot be reached: a closed port on 127.0.0.1, no
/// Azurite needed; the SDK's retries are made small so the test stays fast.
/// </summary>
public sealed class UnreachableBlobTests
{
    private const string Signature = "sig-9c1e7d-never-shown";

    /// <summary>
    /// A port of 127.0.0.1 that refuses connections for as long as the socket lives: bound, never
    /// listening, so the kernel answers each connection with a reset, and no other process (a
    /// test's Azurite or HTTP server started meanwhile) can take the port. A port released before
    /// use could be taken by one, and the test would then meet a server instead of a refusal.
    /// </summary>
    private static Socket ClosedPort(out int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_refused_connection_is_a_pipeline_error_naming_the_blob_never_the_secret(bool sas)
    {
        using var closed = ClosedPort(out var port);
        var connection = sas
            ? $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;SharedAccessSignature=sv=2024-11-04&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&sig={Signature}"
            : $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Azurite.DevelopmentKey};BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        var definition = new SourceDefinition
        {
            Kind = "azure-blob",
            Container = "exports",
            Blob = "crm/acteurs.csv",
            ConnectionSetting = "Sources:Blob:ConnectionString",
            Schema = new TableSchema { Fields = [new SchemaField { Name = "nom" }] },
        };
        var source = BlobSource.Create(definition, new RunOptions { Settings = key => key == "Sources:Blob:ConnectionString" ? connection : null }, (2, TimeSpan.FromMilliseconds(10)));
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(source));
        Assert.Equal(
            $"blob exports/crm/acteurs.csv at http://127.0.0.1:{port} cannot be opened: the storage account could not be reached (ConnectionRefused) after 3 attempt(s): "
            + "check the endpoint in the connection string of Sources:Blob:ConnectionString, and the network. Nothing is published.",
            e.Message);
        Assert.DoesNotContain(Signature, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Azurite.DevelopmentKey, e.ToString(), StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the retries were not the test's ({clock.Elapsed})");
    }

    [Fact]
    public async Task A_target_that_cannot_be_reached_is_a_pipeline_error_naming_the_container_never_the_secret()
    {
        using var closed = ClosedPort(out var port);
        var options = new OpenData.Publishing.AzureTargetOptions
        {
            ConnectionString = $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;SharedAccessSignature=sv=2024-11-04&ss=b&srt=co&sp=rwdl&se=2030-01-01T00:00:00Z&sig={Signature}",
            Container = "$web",
        };
        var target = OpenData.Publishing.AzureBlobTarget.Create(options, TimeSpan.FromMilliseconds(1), transport: null);
        using var temp = new TempFolder();
        var file = new OpenData.Publishing.StagedFile("index.html", temp.File("index.html", "<p>x</p>"), 8, "00");

        var errors = new List<PipelineException>
        {
            await Assert.ThrowsAsync<PipelineException>(() => target.TryOpenReadAsync("releases.json", CancellationToken.None)),
            await Assert.ThrowsAsync<PipelineException>(() => target.HoldsAsync(file, CancellationToken.None)),
            await Assert.ThrowsAsync<PipelineException>(() => target.WriteAsync(file, CancellationToken.None)),
            await Assert.ThrowsAsync<PipelineException>(() => target.ListAsync("datasets/a/latest/", CancellationToken.None)),
            await Assert.ThrowsAsync<PipelineException>(() => target.DeleteAsync("datasets/a/latest/a.csv", CancellationToken.None)),
        };
        Assert.All(errors, e => Assert.Contains($"container $web at http://127.0.0.1:{port}/devstoreaccount1/$web: ", e.Message, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Contains("the storage account could not be reached (ConnectionRefused) after 6 attempt(s)", e.Message, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.DoesNotContain(Signature, e.ToString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("garbage-without-equals", null, "Publishing:Azure:ConnectionString is malformed")]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=a;AccountKey=not-base64!;BlobEndpoint=http://127.0.0.1:1/a;", null, "Publishing:Azure:ConnectionString is malformed")]
    [InlineData(null, "http://127.0.0.1:1/account", "Publishing:Azure:AccountUrl must be an https:// URL")]
    public void A_malformed_target_setting_is_a_pipeline_error_that_never_repeats_it(string? connection, string? accountUrl, string expected)
    {
        var e = Assert.Throws<PipelineException>(() => OpenData.Publishing.AzureBlobTarget.Create(new OpenData.Publishing.AzureTargetOptions { ConnectionString = connection, AccountUrl = accountUrl }));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        if (connection is not null)
        {
            Assert.DoesNotContain(connection, e.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("http://opendata:Pa55w0rd-SECRET@127.0.0.1:1/account")]
    [InlineData("https://opendata:Pa55w0rd-SECRET@account.blob.core.windows.net/")]
    public void Credentials_written_into_the_account_url_never_reach_a_message(string accountUrl)
    {
        // The target is named in every log line and error by its URL: never with its user info.
        string said;
        try
        {
            said = OpenData.Publishing.AzureBlobTarget.Create(new OpenData.Publishing.AzureTargetOptions { AccountUrl = accountUrl }).Description;
        }
        catch (PipelineException e)
        {
            said = e.ToString();
        }

        Assert.DoesNotContain("Pa55w0rd-SECRET", said, StringComparison.Ordinal);
        Assert.DoesNotContain("opendata:", said, StringComparison.Ordinal);
    }

    /// <summary>
    /// Past the constructor too: the first call to the service must fail as a pipeline error that
    /// never quotes the user info (it failed as an internal error quoting "password@host").
    /// </summary>
    [Theory]
    [InlineData(null, "https://opendata:Pa55w0rd-SECRET@account.blob.core.windows.net/")]
    [InlineData("BlobEndpoint=https://opendata:Pa55w0rd-SECRET@account.blob.core.windows.net/;SharedAccessSignature=sv=2020-01-01&sig=fake", null)]
    public async Task Credentials_in_the_account_url_are_refused_before_any_request(string? connection, string? accountUrl)
    {
        var e = await Assert.ThrowsAsync<PipelineException>(async () =>
        {
            var target = OpenData.Publishing.AzureBlobTarget.Create(new OpenData.Publishing.AzureTargetOptions { ConnectionString = connection, AccountUrl = accountUrl }, TimeSpan.FromMilliseconds(1), transport: null);
            await target.TryOpenReadAsync("releases.json", CancellationToken.None);
        });
        Assert.Contains("must not hold credentials", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Pa55w0rd-SECRET", e.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + Azurite.DevelopmentKey + ";EndpointSuffix=core.windows.net")] // the public emulator key, off the loopback
    [InlineData("BlobEndpoint=http://files.example.org/opendata;SharedAccessSignature=sv=2020-01-01&sig=fake")]
    public async Task A_plain_http_blob_endpoint_beyond_the_loopback_is_refused_before_any_request(string connection)
    {
        // Accepted before: the shared access signature (in every request's query) or the signed
        // requests and the data went over the network in clear.
        var target = await Assert.ThrowsAsync<PipelineException>(async () =>
            await OpenData.Publishing.AzureBlobTarget.Create(new OpenData.Publishing.AzureTargetOptions { ConnectionString = connection }, TimeSpan.FromMilliseconds(1), transport: null)
                .TryOpenReadAsync("releases.json", CancellationToken.None));
        Assert.Contains("Publishing:Azure:ConnectionString: its blob endpoint must be an https:// address", target.Message, StringComparison.Ordinal);

        var source = await ReadBlobSourceAsync(connection);
        Assert.Contains("The setting 'Sources:Blob:ConnectionString': its blob endpoint must be an https:// address", source.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=fake", target.ToString() + source.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_in_a_blob_sources_endpoint_are_refused_before_any_request()
    {
        const string connection = "BlobEndpoint=https://opendata:Pa55w0rd-SECRET@account.blob.core.windows.net/;SharedAccessSignature=sv=2020-01-01&sig=fake";
        var e = await ReadBlobSourceAsync(connection);
        Assert.Contains("must not hold credentials", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Pa55w0rd-SECRET", e.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The error of reading a CSV blob source whose connection string is <paramref name="connection"/>.</summary>
    private static Task<PipelineException> ReadBlobSourceAsync(string connection)
    {
        var definition = new SourceDefinition
        {
            Kind = "azure-blob",
            Container = "exports",
            Blob = "crm/acteurs.csv",
            ConnectionSetting = "Sources:Blob:ConnectionString",
            Schema = new TableSchema { Fields = [new SchemaField { Name = "nom" }] },
        };
        return Assert.ThrowsAsync<PipelineException>(() => SourceTestKit.ReadAllAsync(
            BlobSource.Create(definition, new RunOptions { Settings = key => key == "Sources:Blob:ConnectionString" ? connection : null }, (0, TimeSpan.FromMilliseconds(1)))));
    }
}
