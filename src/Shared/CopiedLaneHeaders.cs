using System.Net.Http.Headers;

namespace Lanes.Wire;

/// <summary>
/// Removes the lane from the headers other readers take it from: the baggage formats older than W3C's that a
/// service's propagator may read instead of <c>baggage</c> (<see cref="LaneWire.IsOlderBaggageList"/>: .NET's own
/// reads <c>Correlation-Context</c>), and the tag header in the spellings a CGI-style server reads as it
/// (<c>x_mse_tag</c>). Neither the gateway nor the package writes these, so a lane in one comes from a client (at the
/// gateway) or was copied from a caller by a service's own code (in the package), and the service behind would take it.
/// </summary>
internal static class CopiedLaneHeaders
{
    /// <summary>
    /// Removes the tag header's other spellings (not the tag header itself), the headers named for the lane (<c>uberctx-lane</c>) and the lane's
    /// entry from the lists (<c>Correlation-Context: lane=gray,user=42</c> goes on as <c>user=42</c>). Only names are
    /// compared (the non-validated view enumerates without allocating); a list is made only when such a header is found.
    /// </summary>
    public static void Remove(HttpRequestHeaders headers, string? tagHeader, string? key)
    {
        List<string>? found = null;
        foreach (var header in headers.NonValidated)
        {
            if (IsLaneHeader(header.Key, tagHeader, key) || (key is not null && LaneWire.IsOlderBaggageList(header.Key)))
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
            if (IsLaneHeader(name, tagHeader, key))
            {
                headers.Remove(name);
            }
            else
            {
                BaggageHeader.TryRewrite(headers, name, key!, laneEntry: null);
            }
        }
    }

    /// <summary>
    /// A header whose whole value is the lane: the tag header in another spelling (the caller removes or replaces the
    /// tag header itself), or an older format's key header.
    /// </summary>
    private static bool IsLaneHeader(string name, string? tagHeader, string? key) =>
        (tagHeader is not null && LaneWire.SameHeaderName(name, tagHeader) && !name.Equals(tagHeader, StringComparison.OrdinalIgnoreCase))
        || (key is not null && LaneWire.IsOlderBaggageKeyHeader(name, key));
}
