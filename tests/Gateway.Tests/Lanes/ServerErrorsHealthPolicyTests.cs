using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Gateway.Lanes.Health;
using Gateway.Tests.Support;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Lanes;

/// <summary>The <c>ServerErrors</c> passive policy counts only failures that are the destination's fault.</summary>
public class ServerErrorsHealthPolicyTests
{
    private static JsonObject PassiveServerErrors() => new()
    {
        ["HealthCheck"] = new JsonObject
        {
            ["Passive"] = new JsonObject { ["Enabled"] = true, ["Policy"] = "ServerErrors", ["ReactivationPeriod"] = "00:01:00" },
        },
        ["Metadata"] = new JsonObject { ["ServerErrorsHealthPolicy.Threshold"] = "2" },
    };

    [Fact]
    public async Task RequestProxied_ClientsAbortingTheirOwnRequests_LeaveTheDestinationHealthy()
    {
        await using var backend = await HangingBackend.StartAsync();
        await using var gray = await HangingBackend.StartAsync();

        // With a lane destination beside it, YARP's panic mode (all destinations unhealthy: use them all) cannot hide a
        // baseline destination taken out: untagged requests would get 503 baseline_unavailable.
        var config = new GatewayConfigBuilder().Route("orders")
            .Destination("orders", "orders-base-1", backend.Url)
            .Destination("orders", "orders-gray-1", gray.Url, "gray")
            .Cluster("orders", PassiveServerErrors());
        await using var gateway = await TestGateway.StartAsync(config);
        using var impatient = new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(1) };
        using var warm = await gateway.Client.GetAsync("/orders/1");
        warm.EnsureSuccessStatusCode();

        for (var i = 0; i < 4; i++)
        {
            // A body shorter than its Content-Length, then the connection closes; and a client that stops waiting.
            await RawHttp.SendAsync(gateway.Address.Port, "POST /orders/hang HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\npartial", TimeSpan.FromSeconds(1));
            await FluentActions.Awaiting(() => impatient.GetAsync("/orders/hang")).Should().ThrowAsync<TaskCanceledException>();
        }

        // On a busy machine a client may give up before its request was forwarded; enough of them must have been.
        await Eventually.ValueAsync(() => Task.FromResult((backend.Hanging, backend.Abandoned)), n => n.Abandoned == n.Hanging && n.Hanging >= 4);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await gateway.Client.GetAsync("/orders/1");
            statuses.Add(response.StatusCode);
            await Task.Delay(25);
        }

        statuses.Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.OK));
    }

    [Fact]
    public void RequestProxied_ClientAbortedWithForwarderError_IsNotCounted()
    {
        var updater = new RecordingUpdater();
        var policy = new ServerErrorsHealthPolicy(updater);
        var cluster = Cluster(threshold: 1);
        var destination = new DestinationState("d1");
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();

        policy.RequestProxied(Context(ForwarderError.RequestCanceled, StatusCodes.Status502BadGateway, aborted.Token), cluster, destination);
        policy.RequestProxied(Context(ForwarderError.RequestBodyClient, StatusCodes.Status400BadRequest, CancellationToken.None), cluster, destination);
        policy.RequestProxied(Context(ForwarderError.RequestBodyCanceled, StatusCodes.Status502BadGateway, CancellationToken.None), cluster, destination);
        policy.RequestProxied(Context(ForwarderError.ResponseBodyClient, StatusCodes.Status200OK, CancellationToken.None), cluster, destination);
        var counted = updater.Unhealthy;
        policy.RequestProxied(Context(ForwarderError.Request, StatusCodes.Status502BadGateway, CancellationToken.None), cluster, destination);

        (counted, updater.Unhealthy).Should().Be((0, 1), "only the refused connection is the destination's fault");
    }

    /// <summary>A connection the gateway could not open for want of file descriptors is no destination's fault.</summary>
    [Fact]
    public void RequestProxied_GatewayOutOfDescriptors_IsNotCounted()
    {
        var updater = new RecordingUpdater();
        var policy = new ServerErrorsHealthPolicy(updater);
        var cluster = Cluster(threshold: 1);
        var destination = new DestinationState("d1");
        var outOfDescriptors = new HttpRequestException(HttpRequestError.ConnectionError, "Too many open files", new SocketException((int)SocketError.TooManyOpenSockets));
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused));

        policy.RequestProxied(Context(ForwarderError.Request, StatusCodes.Status502BadGateway, CancellationToken.None, outOfDescriptors), cluster, destination);
        var counted = updater.Unhealthy;
        policy.RequestProxied(Context(ForwarderError.Request, StatusCodes.Status502BadGateway, CancellationToken.None, refused), cluster, destination);

        (counted, updater.Unhealthy).Should().Be((0, 1));
    }

    [Fact]
    public void RequestProxied_DestinationCutItsResponseOff_CountsThoughTheClientsRequestShowsAborted()
    {
        var updater = new RecordingUpdater();
        var policy = new ServerErrorsHealthPolicy(updater);
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();

        // After a failed read of the response body YARP resets the client's connection itself, and Kestrel signals
        // RequestAborted for it on another thread: whether the policy runs before or after must not matter.
        policy.RequestProxied(Context(ForwarderError.ResponseBodyDestination, StatusCodes.Status200OK, aborted.Token), Cluster(threshold: 1), new DestinationState("d1"));

        updater.Unhealthy.Should().Be(1);
    }

    [Fact]
    public void RequestProxied_DestinationRemovedFromConfig_IsForgotten()
    {
        var policy = new ServerErrorsHealthPolicy(new RecordingUpdater());
        var cluster = Cluster(threshold: 5);
        var kept = new DestinationState("kept");
        policy.RequestProxied(Context(null, StatusCodes.Status500InternalServerError, CancellationToken.None), cluster, kept);
        FailOnceAndDrop(policy, cluster);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        policy.Tracked.Should().Be(1);
        GC.KeepAlive(kept);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FailOnceAndDrop(ServerErrorsHealthPolicy policy, ClusterState cluster) =>
        policy.RequestProxied(Context(null, StatusCodes.Status500InternalServerError, CancellationToken.None), cluster, new DestinationState("removed"));

    private static ClusterState Cluster(int threshold) =>
        new("orders", new ClusterModel(
            new ClusterConfig { ClusterId = "orders", Metadata = new Dictionary<string, string> { [ServerErrorsHealthPolicy.ThresholdKey] = threshold.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
            new HttpMessageInvoker(new SocketsHttpHandler())));

    private static DefaultHttpContext Context(ForwarderError? error, int status, CancellationToken aborted, Exception? exception = null)
    {
        var context = new DefaultHttpContext { RequestAborted = aborted };
        context.Response.StatusCode = status;
        if (error is { } kind)
        {
            context.Features.Set<IForwarderErrorFeature>(new ErrorFeature(kind, exception));
        }

        return context;
    }

    private sealed record ErrorFeature(ForwarderError Error, Exception? Exception) : IForwarderErrorFeature;

    private sealed class RecordingUpdater : IDestinationHealthUpdater
    {
        public int Unhealthy { get; private set; }

        public void SetActive(ClusterState cluster, IEnumerable<NewActiveDestinationHealth> newHealthStates)
        {
        }

        public void SetPassive(ClusterState cluster, DestinationState destination, DestinationHealth newHealth, TimeSpan reactivationPeriod) =>
            Unhealthy += newHealth == DestinationHealth.Unhealthy ? 1 : 0;
    }
}
