using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Support;

/// <summary>Sends raw bytes over one TCP connection and returns whatever came back (bounded in time and size).</summary>
internal static class RawHttp
{
    /// <summary>Sends the request and reads until the server closes (send <c>Connection: close</c>) or the timeout.</summary>
    public static async Task<string> SendAsync(int port, string request, TimeSpan? timeout = null)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var received = new StringBuilder();
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, cancel.Token);
            await socket.SendAsync(Encoding.Latin1.GetBytes(request), cancel.Token);
            var buffer = new byte[16 * 1024];
            while (received.Length < 1_000_000)
            {
                var read = await socket.ReceiveAsync(buffer, cancel.Token);
                if (read == 0)
                {
                    break;
                }

                received.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }

            return received.ToString();
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return received.ToString();
        }
    }

    /// <summary>The status codes of every response in a (possibly pipelined) reply.</summary>
    public static List<int> StatusCodes(string reply)
    {
        var codes = new List<int>();
        var index = 0;
        while ((index = reply.IndexOf("HTTP/1.1 ", index, StringComparison.Ordinal)) >= 0)
        {
            if (index + 12 <= reply.Length && int.TryParse(reply.AsSpan(index + 9, 3), out var code) && (index == 0 || reply[index - 1] == '\n'))
            {
                codes.Add(code);
            }

            index += 9;
        }

        return codes;
    }
}
