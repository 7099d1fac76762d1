using System.Net;
using System.Net.Sockets;

namespace Gateway.Tests.Support;

/// <summary>HTTP/2 (prior knowledge) clients of one gateway, each from a loopback address of its own if asked (all of 127/8 is local on Linux).</summary>
internal static class Http2Clients
{
    /// <summary>A client whose every request is a stream of one connection, from <paramref name="source"/> (any loopback address).</summary>
    public static HttpClient Create(Uri address, IPAddress? source = null) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellation) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source ?? IPAddress.Loopback, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = address,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>"status body", or "failed: ..." when the request got no response (cancelled included).</summary>
    public static async Task<string> StatusAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            return (int)response.StatusCode + " " + await response.Content.ReadAsStringAsync();
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return "failed: " + ex.Message;
        }
    }

    /// <summary>As <see cref="StatusAsync"/>, for a request a proxy forwards with <c>X-Forwarded-For: forwardedFor</c>.</summary>
    public static async Task<string> ForwardedAsync(HttpClient client, string path, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Headers = { { "X-Forwarded-For", forwardedFor } },
        };
        try
        {
            using var response = await client.SendAsync(request);
            return (int)response.StatusCode + " " + await response.Content.ReadAsStringAsync();
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return "failed: " + ex.Message;
        }
    }
}
