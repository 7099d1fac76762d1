using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Lanes.Selection;
using Gateway.Routing;
using Gateway.Routing.Config;
using Yarp.ReverseProxy;

namespace Gateway.Lanes.Diagnostics;

/// <summary>
/// The lane metrics: every proxied request by requested and served lane and decision, escapes by kind, request
/// duration, and two gauges read at collection time: destinations per lane and health, and lane rules per tag.
/// </summary>
public sealed class LaneMetrics
{
    public const string MeterName = "Gateway.Lanes";

    /// <summary>Histogram bucket upper bounds in seconds (advice to the SDK; Prometheus' usual range for HTTP).</summary>
    public static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter<long> _requests;
    private readonly Counter<long> _escapes;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _retries;

    public LaneMetrics(IMeterFactory meterFactory, IProxyStateLookup proxyState, GatewaySnapshotSource snapshots)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("gateway.lane.requests", "{request}", "Proxied requests by requested lane, served lane and decision.");
        _escapes = meter.CreateCounter<long>("gateway.lane.escapes", "{request}", "Requests served outside their lane, by kind.");
        _duration = meter.CreateHistogram("gateway.lane.request.duration", "s", "Duration of proxied requests.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _retries = meter.CreateCounter<long>("gateway.lane.retries", "{request}",
            "Requests sent to a second destination after the first refused the connection (no byte of the request had left).");
        meter.CreateObservableGauge("gateway.lane.destinations", () => ObserveDestinations(proxyState, snapshots.Current), "{destination}",
            "Destinations per cluster, lane and health (healthy = usable for new requests).");
        meter.CreateObservableGauge("gateway.lane.rules", () => ObserveRules(snapshots.Current), "{rule}", "Configured lane rules per lane tag.");
    }

    public void RecordRequest(string route, string cluster, string lane, string servedLane, string decision, string statusClass, double seconds)
    {
        if (_requests.Enabled)
        {
            var tags = new TagList { { "route", route }, { "cluster", cluster }, { "lane", lane }, { "served_lane", servedLane }, { "decision", decision } };
            _requests.Add(1, tags);
        }

        if (_duration.Enabled)
        {
            var tags = new TagList { { "route", route }, { "lane", lane }, { "served_lane", servedLane }, { "status_class", statusClass } };
            _duration.Record(seconds, tags);
        }
    }

    public void RecordEscape(string route, string cluster, string lane, string servedLane, EscapeKind kind)
    {
        if (_escapes.Enabled)
        {
            var tags = new TagList { { "route", route }, { "cluster", cluster }, { "lane", lane }, { "served_lane", servedLane }, { "kind", MetricValues.Kind(kind) } };
            _escapes.Add(1, tags);
        }
    }

    public void RecordRetry(string route, string cluster, string lane, string result)
    {
        if (_retries.Enabled)
        {
            _retries.Add(1, new TagList { { "route", route }, { "cluster", cluster }, { "lane", lane }, { "result", result } });
        }
    }

    /// <summary>
    /// Every destination by lane and health: <c>healthy</c> ones are usable, <c>draining</c> ones were taken out on
    /// purpose (whatever their health), <c>unhealthy</c> ones are the rest, out for a failure. A lane whose in-service
    /// destinations are all unhealthy escapes to the baseline; one whose destinations all drain falls back as planned,
    /// and the alerts tell the two apart by these values. The <c>draining</c> series is only there while some drain,
    /// so a cluster costs two series, not three.
    /// </summary>
    private static List<Measurement<long>> ObserveDestinations(IProxyStateLookup proxyState, GatewaySnapshot snapshot)
    {
        var measurements = new List<Measurement<long>>();
        var totals = new Dictionary<string, (int All, int Draining)>(StringComparer.Ordinal);
        foreach (var cluster in proxyState.GetClusters())
        {
            var state = cluster.DestinationsState;
            totals.Clear();
            foreach (var destination in state.AllDestinations)
            {
                var lane = LaneDestinations.LaneOf(destination, snapshot.DestinationTagKey) ?? LaneNames.Baseline;
                var (all, draining) = totals.GetValueOrDefault(lane);
                totals[lane] = (all + 1, draining + (LaneDestinations.IsDraining(destination) ? 1 : 0));
            }

            var available = LaneDestinations.For(state.AvailableDestinations, snapshot.DestinationTagKey);
            foreach (var (lane, (total, draining)) in totals)
            {
                // A destination whose metadata names the lane "base" shares the baseline's label, so its count too.
                var healthy = available.Lane(lane).Count + (lane == LaneNames.Baseline ? available.Baseline.Count : 0);
                AddHealth(measurements, cluster.ClusterId, lane, total, healthy, draining);
            }
        }

        return measurements;
    }

    private static void AddHealth(List<Measurement<long>> measurements, string cluster, string lane, int total, int healthy, int draining)
    {
        measurements.Add(new Measurement<long>(healthy, new("cluster", cluster), new("lane", lane), new("health", "healthy")));
        measurements.Add(new Measurement<long>(total - healthy - draining, new("cluster", cluster), new("lane", lane), new("health", "unhealthy")));
        if (draining > 0)
        {
            measurements.Add(new Measurement<long>(draining, new("cluster", cluster), new("lane", lane), new("health", "draining")));
        }
    }

    /// <summary>Rules per tag they stamp; a pin (<c>"Tag": "base"</c>) stamps none, so the baseline never counts as a lane with rules.</summary>
    private static IEnumerable<Measurement<long>> ObserveRules(GatewaySnapshot snapshot) =>
        snapshot.Rules.Groups
            .SelectMany(group => group.Lanes)
            .Where(lane => !lane.IsBaselinePin)
            .GroupBy(lane => lane.Tag, StringComparer.Ordinal)
            .Select(tag => new Measurement<long>(tag.Count(), new KeyValuePair<string, object?>("lane", tag.Key)));
}
