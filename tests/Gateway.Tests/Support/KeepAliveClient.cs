using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Support;

/// <summary>
/// An HTTP/1.1 client on one kept-alive connection that, unlike HttpClient, never resends a request by itself: a
/// request the server closed the connection on without answering is <see cref="Lost"/>, as it is for most clients
/// that are not .NET (and for any POST).
/// </summary>
internal sealed class KeepAliveClient(int port) : IDisposable
{
    private Socket? _socket;

    /// <summary>Requests the server answered.</summary>
    public int Answered { get; private set; }

    /// <summary>Answers that carried <c>Connection: close</c> (the client then opens a new connection).</summary>
    public int Closed { get; private set; }

    /// <summary>Requests sent on a connection that closed before their answer.</summary>
    public int Lost { get; private set; }

    /// <summary>Sends one GET; false once the server refuses new connections.</summary>
    public async Task<bool> SendAsync(string path)
    {
        if (_socket is null)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port);
            }
            catch (SocketException)
            {
                socket.Dispose();
                return false;
            }

            _socket = socket;
        }

        try
        {
            await _socket.SendAsync(Encoding.ASCII.GetBytes("GET " + path + " HTTP/1.1\r\nHost: gateway\r\n\r\n"));
            var head = await ReadResponseAsync(_socket);
            Answered++;
            if (head.Contains("\r\nConnection: close\r\n", StringComparison.OrdinalIgnoreCase))
            {
                Closed++;
                Drop();
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            Lost++;
            Drop();
        }

        return true;
    }

    /// <summary>Reads one response with a Content-Length body; returns its head.</summary>
    private static async Task<string> ReadResponseAsync(Socket socket)
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        int end;
        while ((end = received.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) < 0)
        {
            received.Append(Encoding.Latin1.GetString(buffer, 0, await ReceiveSomeAsync(socket, buffer)));
        }

        var head = received.ToString(0, end + 4);
        var lengthAt = head.IndexOf("\r\nContent-Length: ", StringComparison.OrdinalIgnoreCase);
        var length = lengthAt < 0 ? 0 : int.Parse(head.AsSpan(lengthAt + 18, head.IndexOf('\r', lengthAt + 2) - lengthAt - 18));
        while (received.Length < end + 4 + length)
        {
            received.Append(Encoding.Latin1.GetString(buffer, 0, await ReceiveSomeAsync(socket, buffer)));
        }

        return head;
    }

    private static async Task<int> ReceiveSomeAsync(Socket socket, byte[] buffer)
    {
        var read = await socket.ReceiveAsync(buffer);
        return read > 0 ? read : throw new IOException("the server closed the connection");
    }

    private void Drop()
    {
        _socket?.Dispose();
        _socket = null;
    }

    public void Dispose() => Drop();
}
