namespace Gateway.Routing.Config;

/// <summary><c>Lanes:Baggage</c>: the lane also written as a W3C baggage entry, for services that only read baggage.</summary>
public sealed class LaneBaggageOptions
{
    public bool Enabled { get; set; } = true;

    public string Key { get; set; } = LaneMetadata.Lane;
}
