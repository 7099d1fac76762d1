using System.Reflection;
using Gateway.Routing.Rules;

namespace Gateway.Routing.Config;

/// <summary>
/// Conditions of a lane: all present conditions must hold; the values of one condition are alternatives. Each
/// property is a condition kind (<see cref="ICondition"/>) named by its key; they are tried in this order.
/// </summary>
public sealed class MatchOptions
{
    /// <summary>Every kind's getter, found once: the properties are the list of kinds, so there is no other to keep.</summary>
    private static readonly (string Name, Func<MatchOptions, ICondition?> Get)[] Kinds = [.. typeof(MatchOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken).Select(Kind)];

    public ConditionList<ValueConditionOptions, HeaderRule> Headers { get; set; } = [];

    public ConditionList<ValueConditionOptions, CookieRule> Cookies { get; set; } = [];

    public ConditionList<ValueConditionOptions, QueryRule> Query { get; set; } = [];

    public PathConditionOptions? Path { get; set; }

    /// <summary>HTTP methods (<c>GET</c>, <c>POST</c>), compared ignoring case as YARP's route <c>Methods</c> are.</summary>
    public ConditionList<string, MethodRule> Methods { get; set; } = [];

    public ConditionList<string, ClientNetworkRule> ClientNetworks { get; set; } = [];

    public ConditionList<string, CityRule> Cities { get; set; } = [];

    /// <summary>The rules of every condition present, in the order of the properties; bad ones are reported instead.</summary>
    internal IRule[] Compile(LanePath lane, ConfigReader reader, bool hasCitySource)
    {
        var rules = new List<IRule>();
        foreach (var (name, get) in Kinds)
        {
            get(this)?.Compile(new ConditionSite(lane with { Kind = name }, reader, hasCitySource), rules);
        }

        return [.. rules];
    }

    private static (string, Func<MatchOptions, ICondition?>) Kind(PropertyInfo property) =>
        typeof(ICondition).IsAssignableFrom(property.PropertyType)
            ? (property.Name, property.GetMethod!.CreateDelegate<Func<MatchOptions, ICondition?>>())
            : throw new InvalidOperationException("MatchOptions." + property.Name + " is not a condition kind: its type must implement ICondition");
}
