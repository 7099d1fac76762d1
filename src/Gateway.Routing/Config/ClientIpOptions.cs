namespace Gateway.Routing.Config;

public sealed class ClientIpOptions
{
    public List<string> TrustedProxies { get; set; } = [];

    public string? CityHeader { get; set; } = LaneHeaders.City;

    public string? CityDatabase { get; set; }
}
