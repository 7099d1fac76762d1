namespace Gateway.Host.Lifecycle;

/// <summary>Whether the gateway wants new traffic; <c>/healthz/ready</c> reports it.</summary>
internal sealed class GatewayReadiness
{
    private volatile bool _draining;

    public bool IsReady => !_draining;

    public void Drain() => _draining = true;
}
