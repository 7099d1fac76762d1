namespace Gateway.Routing.Config;

public sealed class IncomingTagOptions
{
    public IncomingTagTrust Trust { get; set; } = IncomingTagTrust.None;

    public List<string> TrustedNetworks { get; set; } = [];
}
