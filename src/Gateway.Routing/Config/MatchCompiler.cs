using Gateway.Routing.Clients;
using Gateway.Routing.Rules;

namespace Gateway.Routing.Config;

/// <summary>Compiles a lane's <c>Match</c> into its conditions, reporting every bad one with its path.</summary>
internal static class MatchCompiler
{
    public static IRule[] Compile(MatchOptions? match, LanePath lane, bool hasCitySource, ConfigReader reader)
    {
        if (match is null)
        {
            return [];
        }

        var rules = new List<IRule>();
        CompileValues(match.Headers, lane.MatchList("Headers"), reader, rules, (o, m) => new HeaderRule(o, m), header: true);
        CompileValues(match.Cookies, lane.MatchList("Cookies"), reader, rules, (o, m) => new CookieRule(o, m), header: false);
        CompileValues(match.Query, lane.MatchList("Query"), reader, rules, (o, m) => new QueryRule(o, m), header: false);
        if (match.Path is not null && PathRule.Compile(match.Path, lane.MatchList("Path"), reader) is { } path)
        {
            rules.Add(path);
        }

        if (match.Methods.Count > 0 && MethodRule.Compile(match.Methods, lane.MatchList("Methods").ToString(), reader) is { } methods)
        {
            rules.Add(methods);
        }

        if (match.ClientNetworks.Count > 0)
        {
            rules.Add(new ClientNetworkRule(NetworkList.Compile(match.ClientNetworks, lane.MatchList("ClientNetworks").ToString(), reader), match.ClientNetworks));
        }

        if (match.Cities.Count > 0)
        {
            if (match.Cities.Any(string.IsNullOrWhiteSpace))
            {
                reader.Report(lane.MatchList("Cities").ToString(), "city names must not be empty");
            }

            if (!hasCitySource)
            {
                reader.Report(lane.MatchList("Cities").ToString(), "a city rule needs Lanes:ClientIp:CityDatabase, or a CityHeader with TrustedProxies");
            }

            rules.Add(new CityRule(match.Cities));
        }

        return [.. rules];
    }

    public static bool IsEmpty(MatchOptions? match) =>
        match is null || (match.Headers.Count == 0 && match.Cookies.Count == 0 && match.Query.Count == 0 && match.ClientNetworks.Count == 0
            && match.Cities.Count == 0 && match.Path is null && match.Methods.Count == 0);

    private static void CompileValues(
        List<ValueConditionOptions> conditions, LanePath list, ConfigReader reader, List<IRule> rules,
        Func<ValueConditionOptions, ValueMatcher, IRule> create, bool header)
    {
        for (var i = 0; i < conditions.Count; i++)
        {
            var condition = conditions[i];
            if (string.IsNullOrWhiteSpace(condition.Name) || (header && !HttpToken.IsValid(condition.Name)))
            {
                reader.Report(list.Item(i).At("Name"), "'" + condition.Name + "' is not a valid name");
                continue;
            }

            if (ValueMatcher.Compile(condition, list.Item(i), reader) is { } matcher)
            {
                rules.Add(create(condition, matcher));
            }
        }
    }
}
