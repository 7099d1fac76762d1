namespace Gateway.Routing.Config;

public sealed class LaneGroupOptions
{
    /// <summary>The key of the group under <c>Lanes:Groups</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Route ids the group applies to; empty means every route no other group lists.</summary>
    public List<string> Routes { get; set; } = [];

    public List<LaneOptions> Lanes { get; set; } = [];

    /// <summary>The rules compiled from these options and the city source they were compiled with (reused on reload, never read from JSON).</summary>
    internal (Rules.RuleGroup Group, bool HasCitySource)? Compiled { get; set; }
}
