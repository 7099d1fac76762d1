using Gateway.Routing.Clients;
using Gateway.Routing.Config;

namespace Gateway.Routing.Rules;

/// <summary>Matches the request method, ignoring case as YARP's route <c>Methods</c> do.</summary>
public sealed class MethodRule : IRule
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

    /// <summary>Compiles the condition; reports each value that is not a method (an HTTP token) and returns null when there is any.</summary>
    public static MethodRule? Compile(List<string> methods, string path, ConfigReader reader)
    {
        var ok = true;
        var upper = new string[methods.Count];
        for (var i = 0; i < methods.Count; i++)
        {
            if (!HttpToken.IsValid(methods[i]))
            {
                reader.Report(ConfigReader.Item(path, i), "'" + methods[i] + "' is not an HTTP method (e.g. GET, POST)");
                ok = false;
            }

            upper[i] = methods[i].ToUpperInvariant();
        }

        return ok ? new MethodRule(upper) : null;
    }
}
