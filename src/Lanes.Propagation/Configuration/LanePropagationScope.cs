namespace Lanes.Propagation;

/// <summary>Which calls carry the lane on (<c>Lanes:PropagateTo</c>).</summary>
public enum LanePropagationScope
{
    /// <summary>Every call, to any host, as OpenTelemetry carries baggage: a host the configuration does not name may be one of yours (a Kubernetes Service called by its DNS name).</summary>
    All,

    /// <summary>
    /// Only calls to the services the configuration names (under <c>Services</c> or <c>Lanes:Services</c>); a call to
    /// any other host (a payment provider's API, a customer's webhook) carries no lane and is sent as a baseline call.
    /// </summary>
    Services,
}
