using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Lanes.Propagation;

/// <summary>A service's lane metrics: requests it served and the calls it made, by lane and decision.</summary>
internal sealed class LanesMetrics
{
    public const string MeterName = LanesMetricsNames.MeterName;

    private readonly Counter<long> _requests;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _refused;

    public LanesMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("lanes.service.requests", "{request}", "Requests this service served, by the request's lane and the lane it reported as served.");
        _calls = meter.CreateCounter<long>("lanes.client.calls", "{call}", "Calls to other services, by target service, the caller's lane and where the call went.");
        _refused = meter.CreateCounter<long>("lanes.client.refused_connections", "{connection}", "Connections to an endpoint of a service that were refused (the next endpoint, if any, is tried).");
    }

    public void Request(string lane, string servedLane)
    {
        if (_requests.Enabled)
        {
            var tags = new TagList { { "lane", lane }, { "served_lane", servedLane } };
            _requests.Add(1, tags);
        }
    }

    public void Call(string service, string lane, LaneCallDecision decision)
    {
        if (_calls.Enabled)
        {
            var tags = new TagList { { "service", service }, { "lane", lane }, { "decision", Name(decision) } };
            _calls.Add(1, tags);
        }
    }

    public void Refused(string service, string endpointLane)
    {
        if (_refused.Enabled)
        {
            var tags = new TagList { { "service", service }, { "lane", endpointLane } };
            _refused.Add(1, tags);
        }
    }

    public static string Name(LaneCallDecision decision) => decision switch
    {
        LaneCallDecision.Baseline => "baseline",
        LaneCallDecision.Lane => "lane",
        LaneCallDecision.Fallback => "fallback",
        LaneCallDecision.Escaped => "escaped",
        LaneCallDecision.Rejected => "rejected",
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, null),
    };
}
