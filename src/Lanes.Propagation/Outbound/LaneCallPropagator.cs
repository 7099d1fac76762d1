using System.Diagnostics;
using Lanes.Wire;

namespace Lanes.Propagation;

/// <summary>
/// Makes what .NET writes from the activity on a call say the call's lane. .NET's HttpClient writes the activity's
/// baggage (<c>baggage</c>, or <c>Correlation-Context</c> under its pre-W3C propagator) on a call that lacks it, and
/// writes it again over a followed redirect; the activity's baggage holds the request's lane, while the call may be in
/// none (inside <c>LaneContext.Enter(null)</c>, to another host under <c>PropagateTo: Services</c>) or in another.
/// <see cref="LanePropagationHandler"/> leaves the call's lane in the request's options; this propagator, wrapping the
/// process's own (<see cref="Install"/>), writes the baggage with that lane instead. A call without that option (a
/// plain <see cref="HttpClient"/>'s, a proxy's) passes through unchanged. Written by hand: .NET has no hook per request.
/// </summary>
internal sealed class LaneCallPropagator(DistributedContextPropagator inner) : DistributedContextPropagator
{
    /// <summary>The call's lane, set on a traced call by <see cref="LanePropagationHandler"/>.</summary>
    public static readonly HttpRequestOptionsKey<LaneCall> CallKey = new("Lanes.Propagation.LaneCall");

    private static readonly PropagatorSetterCallback s_setWithCallsLane = SetWithCallsLane;

    public override IReadOnlyCollection<string> Fields => inner.Fields;

    /// <summary>
    /// Wraps <see cref="DistributedContextPropagator.Current"/> unless it is wrapped already. HttpClient handlers take the
    /// propagator current when they are made, so this runs when the package is added (<c>AddLanes</c>): a propagator set
    /// after that replaces this one.
    /// </summary>
    public static void Install()
    {
        var current = Current;
        if (current is not LaneCallPropagator)
        {
            Current = new LaneCallPropagator(current);
        }
    }

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter)
    {
        if (setter is not null && carrier is HttpRequestMessage request && request.Options.TryGetValue(CallKey, out var call))
        {
            inner.Inject(activity, new Carrier(request, call, setter), s_setWithCallsLane);
            return;
        }

        inner.Inject(activity, carrier, setter);
    }

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState) =>
        inner.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) =>
        inner.ExtractBaggage(carrier, getter);

    private static void SetWithCallsLane(object? carrier, string fieldName, string fieldValue)
    {
        var (request, call, setter) = (Carrier)carrier!;
        if (fieldName.Equals(BaggageHeader.Name, StringComparison.OrdinalIgnoreCase) || LaneWire.IsOlderBaggageList(fieldName))
        {
            fieldValue = call.Rewrite(fieldValue);
            if (fieldValue.Length == 0)
            {
                return;
            }
        }

        setter(request, fieldName, fieldValue);
    }

    private sealed record Carrier(HttpRequestMessage Request, LaneCall Call, PropagatorSetterCallback Setter);
}

/// <summary>A call's lane for <see cref="LaneCallPropagator"/>: the baggage key, and the lane's entry (<c>lane=gray</c>) or none.</summary>
internal sealed record LaneCall(string Key, string? Entry)
{
    /// <summary>A baggage list with the lane's entry first, or none, and its other members as they were.</summary>
    public string Rewrite(string baggage)
    {
        var others = default(BaggageWriter);
        BaggageHeader.AppendOtherMembers(ref others, baggage, Key);
        return Entry is null ? (others.IsEmpty ? string.Empty : others.Finish()) : others.IsEmpty ? Entry : others.Finish(Entry);
    }
}
