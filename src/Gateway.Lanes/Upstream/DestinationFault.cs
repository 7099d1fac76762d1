using System.Net.Http;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Lanes.Upstream;

/// <summary>Which forwarder errors are the destination's fault, and which of those are ordinary network failures.</summary>
internal static class DestinationFault
{
    /// <summary>
    /// True for a failure to reach or hear from the destination (as YARP's own <c>TransportFailureRate</c> policy
    /// counts them). A client that went away, cancelled, or failed to send its body is not the destination's doing.
    /// </summary>
    public static bool Is(HttpContext context, ForwarderError error) => error switch
    {
        // Reading the destination's response failed (a client that leaves cancels the read instead). YARP then cuts
        // the client's connection off itself, which soon shows as an aborted request: that must not excuse it.
        ForwarderError.ResponseBodyDestination or ForwarderError.UpgradeResponseDestination => true,
        ForwarderError.Request or ForwarderError.RequestTimedOut or ForwarderError.RequestBodyDestination or ForwarderError.UpgradeRequestDestination =>
            !context.RequestAborted.IsCancellationRequested && !OutOfDescriptors(context),
        _ => false,
    };

    /// <summary>
    /// The gateway could open no socket, at its own open-file limit or the system's: counted against the destinations,
    /// a moment's shortage took every destination out at once, and the lanes escaped until each came back.
    /// </summary>
    private static bool OutOfDescriptors(HttpContext context)
    {
        for (var e = context.Features.Get<IForwarderErrorFeature>()?.Exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.TooManyOpenSockets })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when the exception is a network failure any destination can have (refused, reset, unreachable, timed
    /// out, closed early): worth a line, not a stack trace.
    /// </summary>
    public static bool IsExpected(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException or OperationCanceledException or HttpIOException
                || e is HttpRequestException { HttpRequestError: not HttpRequestError.Unknown })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The innermost message (<c>Connection refused (127.0.0.1:8080)</c>), the one that says what happened.</summary>
    public static string Reason(Exception? exception)
    {
        if (exception is null)
        {
            return "no exception";
        }

        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception.Message;
    }
}
