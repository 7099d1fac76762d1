using System.Net.Sockets;
using Gateway.Lanes.Selection;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Tests.Lanes;

/// <summary>Which failed attempts are resent: only connections that failed at once, before any byte left.</summary>
public class ConnectRetryMiddlewareTests
{
    private static bool ShouldRetry(ForwarderError error, Exception exception)
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IForwarderErrorFeature>(new ErrorFeature(error, exception));
        return ConnectRetryMiddleware.ShouldRetry(context);
    }

    private static HttpRequestException ConnectionError(SocketError socketError) =>
        new(HttpRequestError.ConnectionError, "connect failed", new SocketException((int)socketError));

    [Fact]
    public void ShouldRetry_ConnectionRefused_True()
    {
        var retry = ShouldRetry(ForwarderError.Request, ConnectionError(SocketError.ConnectionRefused));

        retry.Should().BeTrue();
    }

    /// <summary>A black-holed address fails after the kernel's whole connect timeout: resending would wait it out again.</summary>
    [Fact]
    public void ShouldRetry_ConnectTimedOut_False()
    {
        var socketTimeout = ShouldRetry(ForwarderError.Request, ConnectionError(SocketError.TimedOut));
        var handlerTimeout = ShouldRetry(ForwarderError.Request, new HttpRequestException(HttpRequestError.ConnectionError, "connect timed out", new TimeoutException()));

        (socketTimeout, handlerTimeout).Should().Be((false, false));
    }

    [Fact]
    public void ShouldRetry_FailedAfterTheConnectionWasMade_False()
    {
        var retry = ShouldRetry(ForwarderError.Request, new HttpRequestException(HttpRequestError.ResponseEnded, "ended"));

        retry.Should().BeFalse();
    }

    private sealed record ErrorFeature(ForwarderError Error, Exception? Exception) : IForwarderErrorFeature;
}
