using System.Net.Http.Headers;
using Lanes.Wire;

namespace Lanes.Propagation;

/// <summary>
/// Removes the lane from the baggage formats older than W3C's that a service's propagator may read instead of
/// <c>baggage</c> (<see cref="LaneWire.IsOlderBaggageList"/>: .NET's own reads <c>Correlation-Context</c>), as the
/// gateway does: the package never writes them, so a lane in one is always copied from a caller by the service's own
/// code, and the service behind would take it.
/// </summary>
internal static class OlderBaggageFormats
{
    /// <summary>
    /// Removes the headers named for the lane (<c>uberctx-lane</c>) and the lane's entry from the lists
    /// (<c>Correlation-Context: lane=gray,user=42</c> goes on as <c>user=42</c>). Only names are compared (the
    /// non-validated view enumerates without allocating); a list is made only when such a header is found.
    /// </summary>
    public static void RemoveLane(HttpRequestHeaders headers, string key)
    {
        List<string>? found = null;
        foreach (var header in headers.NonValidated)
        {
            if (LaneWire.IsOlderBaggageList(header.Key) || LaneWire.IsOlderBaggageKeyHeader(header.Key, key))
            {
                (found ??= []).Add(header.Key);
            }
        }

        if (found is null)
        {
            return;
        }

        foreach (var name in found)
        {
            if (LaneWire.IsOlderBaggageKeyHeader(name, key))
            {
                headers.Remove(name);
            }
            else if (headers.NonValidated.TryGetValues(name, out var lines) && HasLane(lines, key))
            {
                var others = default(BaggageWriter);
                foreach (var line in lines)
                {
                    BaggageHeader.AppendOtherMembers(ref others, line, key);
                }

                headers.Remove(name);
                if (!others.IsEmpty)
                {
                    headers.TryAddWithoutValidation(name, others.Finish());
                }
            }
        }
    }

    private static bool HasLane(HeaderStringValues lines, string key)
    {
        foreach (var line in lines)
        {
            if (BaggageHeader.HasMember(line, key))
            {
                return true;
            }
        }

        return false;
    }
}
