using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Automotech.OpenData.Tests.Sources;

/// <summary>
/// A real HTTP/1.1 server on 127.0.0.1 (a free port), small enough to answer exactly as a test
/// says: any status and headers, a delay before answering, a body cut short. One request per
/// connection. It records each request with its arrival time.
/// </summary>
internal sealed class TestHttpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Func<Request, Reply> handler;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public TestHttpServer(Func<Request, Reply> handler)
    {
        this.handler = handler;
        listener.Start();
        loop = Task.Run(AcceptAsync);
    }

    public sealed record Request(int Index, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, DateTimeOffset At)
    {
        public string? Query(string name) =>
            PathAndQuery.Split('?', 2) is [_, var query]
                ? query.Split('&').Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0] == name)?.ElementAtOrDefault(1)
                : null;
    }

    /// <param name="CutAt">Sends only this many bytes of the body, then closes (Content-Length still announces it whole).</param>
    /// <param name="Reason">The status line's reason phrase, when not the usual one (a server may write anything there).</param>
    public sealed record Reply(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default, int? CutAt = null, string? Reason = null);

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");

    public ConcurrentQueue<Request> Requests { get; } = new();

    public static Reply Json(string body, IReadOnlyDictionary<string, string>? headers = null) => new(200, body, headers);

    private async Task AcceptAsync()
    {
        var index = 0;
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var number = index++;
            _ = Task.Run(() => ServeAsync(client, number));
        }
    }

    private async Task ServeAsync(TcpClient client, int index)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                var lines = head.ToString().Split("\r\n");
                var headers = lines.Skip(1).TakeWhile(l => l.Length > 0).Select(l => l.Split(':', 2))
                    .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
                var request = new Request(index, lines[0].Split(' ')[1], headers, DateTimeOffset.UtcNow);
                Requests.Enqueue(request);
                var reply = handler(request);
                if (reply.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(reply.Delay, stop.Token);
                }

                var body = Encoding.UTF8.GetBytes(reply.Body);
                var response = new StringBuilder().Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {reply.Status} {reply.Reason ?? Phrase(reply.Status)}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n");
                foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
                {
                    response.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
                }

                await stream.WriteAsync(Encoding.ASCII.GetBytes(response.Append("\r\n").ToString()), stop.Token);
                await stream.WriteAsync(body.AsMemory(0, reply.CutAt ?? body.Length), stop.Token);
                await stream.FlushAsync(stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // the client gave up (a timeout under test) or the server is stopping
            }
        }
    }

    private static string Phrase(int status) => status switch
    {
        200 => "OK",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await loop;
        stop.Dispose();
    }
}
