namespace Gateway.Routing.Config;

public sealed class ValueConditionOptions
{
    public string Name { get; set; } = "";

    public MatchMode Mode { get; set; } = MatchMode.Exact;

    public List<string> Values { get; set; } = [];

    public bool IgnoreCase { get; set; }

    /// <summary>Negates the condition: it holds exactly when it would not without <c>Not</c> (a missing value included).</summary>
    public bool Not { get; set; }
}
