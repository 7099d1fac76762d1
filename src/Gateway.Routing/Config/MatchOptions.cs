namespace Gateway.Routing.Config;

/// <summary>Conditions of a lane: all present conditions must hold; the values of one condition are alternatives.</summary>
public sealed class MatchOptions
{
    public List<ValueConditionOptions> Headers { get; set; } = [];

    public List<ValueConditionOptions> Cookies { get; set; } = [];

    public List<ValueConditionOptions> Query { get; set; } = [];

    public List<string> ClientNetworks { get; set; } = [];

    public List<string> Cities { get; set; } = [];

    public PathConditionOptions? Path { get; set; }

    /// <summary>HTTP methods (<c>GET</c>, <c>POST</c>), compared ignoring case as YARP's route <c>Methods</c> are.</summary>
    public List<string> Methods { get; set; } = [];
}
