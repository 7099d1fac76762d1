using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Lanes.Wire;

namespace Lanes.Propagation;

/// <summary>
/// Makes the request's lane ambient (<see cref="LaneContext"/>, the current <see cref="Activity"/>), reports the
/// served lane in the response and counts the request. A request without a lane allocates nothing here.
/// </summary>
internal sealed class LaneMiddleware(RequestDelegate next, LaneSettings settings, LanesMetrics metrics)
{
    private static readonly Func<object, Task> s_writeServedLane = WriteServedLane;

    public async Task InvokeAsync(HttpContext context)
    {
        var trusted = settings.Trusts(context.Connection.RemoteIpAddress);
        var lane = trusted ? ReadLane(context.Request.Headers) : null;
        var activity = Activity.Current;
        if (activity is not null && settings.BaggageKey is { } key)
        {
            // ASP.NET Core copied the caller's baggage onto the activity, and .NET writes it on every outgoing call:
            // only the lane decided here may travel on, not an untrusted caller's, nor an entry not taken as the lane
            // (in Correlation-Context, in another spelling, or sent twice with different values).
            LaneWire.RemoveLaneBaggage(activity, key);
        }

        if (settings.BaggageKey is { } otelKey && !OpenTelemetryBaggage.Agrees(lane, otelKey))
        {
            // OpenTelemetry's instrumentation copied the caller's baggage into its own context; whatever writes that on
            // (an HttpClient call, a message producer) must carry this request's lane. Set in this async method, it
            // lasts for the request.
            OpenTelemetry.Baggage.Current = OpenTelemetryBaggage.Corrected(lane, otelKey);
        }

        if (lane is null)
        {
            if (settings.ServedLaneHeader is { } header)
            {
                context.Response.Headers[header] = settings.OwnLaneValues;
            }

            await next(context);
            metrics.Request(settings.LaneLabel(null), settings.LaneLabel(settings.OwnLane));
            return;
        }

        var state = new LaneRequestState(lane, settings.ServedByDesign(lane)) { Response = context.Response, ServedLaneHeader = settings.ServedLaneHeader };
        if (activity is not null)
        {
            activity.SetTag("lane.tag", lane);
            if (settings.BaggageKey is { } baggageKey)
            {
                activity.SetBaggage(baggageKey, lane);
            }
        }

        if (settings.ServedLaneHeader is not null)
        {
            context.Response.OnStarting(s_writeServedLane, state);
        }

        var previous = LaneContext.State;
        LaneContext.State = state;
        try
        {
            await next(context);
        }
        finally
        {
            LaneContext.State = previous;
        }

        metrics.Request(settings.LaneLabel(lane), settings.LaneLabel(state.ServedLane));
    }

    /// <summary>
    /// The trusted lane of a request: a well-formed tag header sent once, else the baggage entry. <c>base</c> is the
    /// baseline (null), as at the gateway, which forwards a trusted <c>base</c> untagged.
    /// </summary>
    internal string? ReadLane(IHeaderDictionary headers)
    {
        if (settings.TagHeader is { } tagHeader && headers.TryGetValue(tagHeader, out var tag)
            && tag.Count == 1 && tag[0] is { } value && LaneWire.IsValidTag(value))
        {
            return value == LaneWireNames.Baseline ? null : value;
        }

        if (settings.BaggageKey is { } key && headers.TryGetValue(LaneWireNames.BaggageHeader, out var baggage)
            && BaggageHeader.TryFind(baggage, key, out var entry) && LaneWire.IsValidTag(entry) && !entry.SequenceEqual(LaneWireNames.Baseline))
        {
            return settings.Lane(entry);
        }

        return null;
    }

    private static Task WriteServedLane(object state)
    {
        var request = (LaneRequestState)state;
        request.Response!.Headers[request.ServedLaneHeader!] = new StringValues(request.ServedLane);
        return Task.CompletedTask;
    }
}
