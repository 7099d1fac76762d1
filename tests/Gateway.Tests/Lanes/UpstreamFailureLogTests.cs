using System.Net.Sockets;
using Gateway.Lanes.Upstream;
using Gateway.Tests.Support;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Lanes;

/// <summary>Destination failures are logged as state changes, rate-limited per destination.</summary>
public class UpstreamFailureLogTests
{
    private static readonly ClusterModel Cluster = new(new ClusterConfig { ClusterId = "orders" }, new HttpMessageInvoker(new SocketsHttpHandler()));

    private static readonly RouteModel Route = new(new RouteConfig { RouteId = "orders" }, null, HttpTransformer.Default);

    private static void Send(UpstreamFailureLog log, DestinationState destination, bool fails)
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IReverseProxyFeature>(new ProxyFeature { ProxiedDestination = destination });
        if (fails)
        {
            context.Features.Set<IForwarderErrorFeature>(new ErrorFeature(ForwarderError.Request, new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused))));
        }

        log.Record(context);
    }

    [Fact]
    public void Record_DestinationFlapping_WarnsAtMostOncePerIntervalAndReportsOnlyWarnedRecoveries()
    {
        var time = new ManualTime();
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var log = new UpstreamFailureLog(time, factory.CreateLogger<UpstreamFailureLog>());
        var destination = new DestinationState("orders-1");

        Send(log, destination, fails: true);
        Send(log, destination, fails: true);
        Send(log, destination, fails: false);
        time.Advance(TimeSpan.FromSeconds(10));
        Send(log, destination, fails: true);
        Send(log, destination, fails: false);
        time.Advance(UpstreamFailureLog.WarningInterval);
        Send(log, destination, fails: true);

        logs.Entries.Where(e => e.Level >= LogLevel.Information).Select(e => e.EventId.Id).Should().Equal(2200, 2201, 2200);
        logs.Entries.Count(e => e.EventId.Id == 2202).Should().Be(4, "every failed attempt at Debug");
        logs.Entries.Should().OnlyContain(e => e.Exception == null, "a refused connection is an ordinary network failure");
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    private sealed record ErrorFeature(ForwarderError Error, Exception? Exception) : IForwarderErrorFeature;

    private sealed class ProxyFeature : IReverseProxyFeature
    {
        public RouteModel Route => UpstreamFailureLogTests.Route;

        public ClusterModel Cluster => UpstreamFailureLogTests.Cluster;

        public IReadOnlyList<DestinationState> AllDestinations => [];

        public IReadOnlyList<DestinationState> AvailableDestinations { get; set; } = [];

        public DestinationState? ProxiedDestination { get; set; }
    }
}
