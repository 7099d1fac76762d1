namespace Gateway.Routing.Config;

/// <summary>A condition on the decoded request path (case-sensitive); the values are alternatives.</summary>
public sealed class PathConditionOptions
{
    public PathMatchMode Mode { get; set; } = PathMatchMode.Exact;

    public List<string> Values { get; set; } = [];
}
