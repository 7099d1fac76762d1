namespace Gateway.Routing.Config;

/// <summary>Conditions of a lane: all present conditions must hold; the values of one condition are alternatives.</summary>
public sealed class MatchOptions
{
    public List<ValueConditionOptions> Headers { get; set; } = [];

    public List<ValueConditionOptions> Cookies { get; set; } = [];

    public List<ValueConditionOptions> Query { get; set; } = [];

    public List<string> ClientNetworks { get; set; } = [];

    public List<string> Cities { get; set; } = [];
}
