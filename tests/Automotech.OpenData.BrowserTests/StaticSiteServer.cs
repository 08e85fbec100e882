using System.Net;
using System.Net.Sockets;

namespace Automotech.OpenData.BrowserTests;

/// <summary>
/// Serves a published folder over HTTP on 127.0.0.1, as the blob static website does: files by
/// path, <c>index.html</c> for folders, <c>404.html</c> for anything else. Root-relative links
/// (the 404 page's) then resolve as they do in production.
/// </summary>
public sealed class StaticSiteServer : IDisposable
{
    private readonly HttpListener listener;
    private readonly string root;
    private readonly Task loop;

    public StaticSiteServer(string root)
    {
        this.root = Path.GetFullPath(root);
        (listener, BaseUrl) = Listen();
        loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the listener was closed under a pending request: expected at shutdown
        }
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var response = context.Response;
            var path = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath).TrimStart('/');
            var file = Path.GetFullPath(Path.Combine(root, path));
            if (Directory.Exists(file))
            {
                file = Path.Combine(file, "index.html");
            }

            if (!file.StartsWith(root, StringComparison.Ordinal) || !File.Exists(file))
            {
                response.StatusCode = 404;
                file = Path.Combine(root, "404.html");
            }

            response.ContentType = Path.GetExtension(file) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".json" => "application/json",
                ".csv" => "text/csv; charset=utf-8",
                _ => "application/octet-stream",
            };
            var bytes = await File.ReadAllBytesAsync(file);
            await response.OutputStream.WriteAsync(bytes);
        }
    }

    /// <summary>
    /// A listener on a free port of 127.0.0.1. HttpListener cannot take port 0, so a port is found
    /// free, released, then listened on: another process (a test's Azurite or server) may take it
    /// in between, and then the next free port is tried.
    /// </summary>
    private static (HttpListener, Uri) Listen()
    {
        for (var attempt = 1; ; attempt++)
        {
            var baseUrl = new Uri($"http://127.0.0.1:{FreePort()}/");
            var candidate = new HttpListener();
            candidate.Prefixes.Add(baseUrl.AbsoluteUri);
            try
            {
                candidate.Start();
                return (candidate, baseUrl);
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                candidate.Close(); // taken meanwhile
            }
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
