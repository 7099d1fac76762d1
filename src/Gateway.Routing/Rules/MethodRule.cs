using Gateway.Routing.Clients;
using Gateway.Routing.Config;
using Lanes.Wire;

namespace Gateway.Routing.Rules;

/// <summary>Matches the request method, ignoring case as YARP's route <c>Methods</c> do.</summary>
public sealed class MethodRule : IRule, IConditionRule<string>
{
    private readonly string[] _methods;

    private MethodRule(string[] methods)
    {
        _methods = methods;
        Description = "method in " + string.Join(", ", methods);
        Key = "methods:" + string.Join("\u0001", methods.Order(StringComparer.Ordinal));
    }

    public string Key { get; }

    public string Description { get; }

    public bool Matches(ref RequestFacts facts)
    {
        var method = facts.Context.Request.Method;
        foreach (var candidate in _methods)
        {
            if (string.Equals(method, candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public string? Observe(ref RequestFacts facts) => facts.Context.Request.Method;

    /// <summary>Compiles the condition; reports each value that is not a method (an HTTP token) and adds no rule when there is any.</summary>
    public static void Compile(List<string> methods, ConditionSite site, List<IRule> rules)
    {
        var ok = true;
        var upper = new string[methods.Count];
        for (var i = 0; i < methods.Count; i++)
        {
            if (!LaneWire.IsToken(methods[i]))
            {
                site.Reader.Report((site.Path with { Item = i }).ToString(), "'" + methods[i] + "' is not an HTTP method (e.g. GET, POST)");
                ok = false;
            }

            upper[i] = methods[i].ToUpperInvariant();
        }

        if (ok)
        {
            rules.Add(new MethodRule(upper));
        }
    }
}
