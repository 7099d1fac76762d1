using Microsoft.AspNetCore.Http;

namespace Lanes.Propagation;

/// <summary>
/// The lane of one request (or of work captured from it), shared by its downstream calls so that an escape anywhere
/// in its sub-chain changes what the service reports in <c>x-served-lane</c>.
/// </summary>
internal sealed class LaneRequestState(string lane, string servedByDesign)
{
    private string? _escapedTo;

    public string Lane { get; } = lane;

    /// <summary>The response this state writes <c>x-served-lane</c> on, when it came from a request.</summary>
    public HttpResponse? Response { get; init; }

    /// <summary>The header <see cref="Response"/> reports the served lane in.</summary>
    public string? ServedLaneHeader { get; init; }

    /// <summary>What the service reports: the lane that really served after an escape, else its lane by design.</summary>
    public string ServedLane => Volatile.Read(ref _escapedTo) ?? servedByDesign;

    public bool Escaped => Volatile.Read(ref _escapedTo) is not null;

    /// <summary>Records an escape; the first one is reported.</summary>
    public void Escape(string servedLane) => Interlocked.CompareExchange(ref _escapedTo, servedLane, null);
}
