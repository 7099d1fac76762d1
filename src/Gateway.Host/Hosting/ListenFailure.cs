using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Gateway.Host.Hosting;

/// <summary>
/// One line for a listener that cannot start, which is the whole story: the stack trace of a port in use or of a
/// missing certificate helps nobody. Any other start-up failure is not described here and keeps its stack trace.
/// </summary>
internal static class ListenFailure
{
    /// <summary>
    /// Whether a start-up exception is a bind failure. Kestrel reports a port in use as an IOException naming the
    /// address; other bind errors (an address not on this machine, a port not permitted) come as they are.
    /// </summary>
    public static bool IsBindFailure(Exception exception) => exception is IOException { InnerException: AddressInUseException } or SocketException;

    public static string? Describe(Exception exception, GatewayListeners listeners, IServiceProvider services)
    {
        if (exception is IOException { InnerException: AddressInUseException })
        {
            return listeners.AdminAddressIn(exception.Message) is { } admin
                ? exception.Message + " That is the admin listener (metrics, health probes, admin API), whose address Admin:Urls sets (default "
                    + GatewayApp.DefaultAdminUrls + "): give each gateway on a machine its own, e.g. --Admin:Urls http://127.0.0.1:" + (admin + 1) + "."
                : exception.Message;
        }

        if (exception is SocketException socket)
        {
            var hint = socket.SocketErrorCode == SocketError.AccessDenied ? " (ports below 1024 need root or the CAP_NET_BIND_SERVICE capability)" : "";
            var addresses = listeners.ConfiguredUrls.Concat(KestrelEndpointFailure.Addresses(services));
            return "Failed to bind to one of " + string.Join(", ", addresses) + ": " + socket.Message + hint + ".";
        }

        return KestrelEndpointFailure.Describe(exception, services);
    }
}
