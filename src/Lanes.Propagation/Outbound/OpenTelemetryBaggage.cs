using Lanes.Wire;
using OpenTelemetry;

namespace Lanes.Propagation;

/// <summary>
/// OpenTelemetry's ASP.NET Core instrumentation keeps the caller's baggage in a context of its own
/// (<see cref="Baggage.Current"/>), whoever the caller is, and its HttpClient instrumentation writes that on every call,
/// replacing the <c>baggage</c> header the package wrote. So the lane entry there must be the call's lane too: an
/// untrusted caller's, or one the service did not take as the request's lane, would otherwise reach the next hop.
/// </summary>
internal static class OpenTelemetryBaggage
{
    /// <summary>
    /// Whether what OpenTelemetry writes leaves the call's lane as the package wrote it: nothing (an empty baggage is
    /// not written, also where OpenTelemetry is not in use), or the lane and nothing else under the key. Allocates nothing.
    /// </summary>
    public static bool Agrees(string? lane, string key)
    {
        var current = Baggage.Current;
        if (current.Count == 0)
        {
            return true;
        }

        var found = false;
        foreach (var (name, value) in current)
        {
            if (!LaneWire.NamesKey(name, key))
            {
                continue;
            }

            if (lane is null || found || name != key || value != lane)
            {
                return false;
            }

            found = true;
        }

        return found == (lane is not null);
    }

    /// <summary><see cref="Baggage.Current"/> with <paramref name="lane"/> as its only lane entry (first), or none.</summary>
    public static Baggage Corrected(string? lane, string key)
    {
        var items = new Dictionary<string, string>(StringComparer.Ordinal);
        if (lane is not null)
        {
            items[key] = lane;
        }

        foreach (var (name, value) in Baggage.Current)
        {
            if (!LaneWire.NamesKey(name, key))
            {
                items[name] = value;
            }
        }

        return Baggage.Create(items);
    }
}
