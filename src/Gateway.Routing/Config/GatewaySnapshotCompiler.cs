using System.Collections.Frozen;
using System.Globalization;
using Gateway.Routing.Clients;
using Gateway.Routing.Rules;
using Gateway.Routing.Tagging;

namespace Gateway.Routing.Config;

/// <summary>
/// Validates <see cref="LanesOptions"/> and compiles them into a <see cref="GatewaySnapshot"/>. Every problem is
/// reported (with its path) rather than the first; a snapshot is returned only when there is none.
/// </summary>
public static partial class GatewaySnapshotCompiler
{
    private const string Root = LanesOptions.SectionName;

    /// <summary>Compiles the snapshot; with <paramref name="cache"/>, groups compiled before from the same options are reused.</summary>
    public static GatewaySnapshot? Compile(
        LanesOptions options, IReadOnlyCollection<string> routeIds, string baseDirectory, string revisionId, List<ConfigProblem> problems,
        LaneGroupCache.Builder? cache = null)
    {
        var reader = new ConfigReader(problems);
        var before = problems.Count;

        if (!IsToken(options.TagHeader))
        {
            reader.Report(Root + ":TagHeader", "'" + options.TagHeader + "' is not a valid header name");
        }

        if (!string.IsNullOrEmpty(options.ServedLaneHeader) && !IsToken(options.ServedLaneHeader))
        {
            reader.Report(Root + ":ServedLaneHeader", "'" + options.ServedLaneHeader + "' is not a valid header name");
        }

        if (string.IsNullOrWhiteSpace(options.DestinationTagKey))
        {
            reader.Report(Root + ":DestinationTagKey", "must not be empty");
        }

        var trustedTagNetworks = NetworkList.Compile(options.IncomingTag.TrustedNetworks, Root + ":IncomingTag:TrustedNetworks", reader);
        if (options.IncomingTag.Trust == IncomingTagTrust.Networks && options.IncomingTag.TrustedNetworks.Count == 0)
        {
            reader.Report(Root + ":IncomingTag:TrustedNetworks", "Trust Networks needs at least one network");
        }

        var clients = CompileClients(options.ClientIp, baseDirectory, reader, out var hasCitySource);
        var routes = routeIds.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        var byRoute = new Dictionary<string, RuleGroup>(StringComparer.OrdinalIgnoreCase);
        var routeOwner = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var tagFallbacks = new Dictionary<string, (LaneFallback Fallback, LanePath Lane)>(StringComparer.Ordinal);
        var tagDecisions = new Dictionary<string, LaneDecision>(StringComparer.Ordinal);
        var stickyKeys = new Dictionary<string, StickyKey>(StringComparer.Ordinal);
        RuleGroup? defaultGroup = null;
        string? defaultGroupName = null;

        foreach (var groupOptions in options.Groups)
        {
            var groupPath = new LanePath(groupOptions.Name);
            var group = cache?.Compiled(groupOptions, hasCitySource);
            if (group is null)
            {
                var problemsBefore = problems.Count;
                group = CompileGroup(groupOptions, groupPath, hasCitySource, stickyKeys, reader);
                if (problems.Count == problemsBefore)
                {
                    cache?.Compiled(groupOptions, group, hasCitySource);
                }
            }

            foreach (var lane in group.Lanes)
            {
                if (!tagDecisions.ContainsKey(lane.Tag))
                {
                    tagDecisions.Add(lane.Tag, new LaneDecision(lane.Tag, lane.Name, group.Name, lane.Fallback, LaneReason.IncomingTag));
                }
            }

            CheckFallbacks(groupOptions, groupPath, tagFallbacks, reader);
            if (groupOptions.Routes.Count == 0)
            {
                if (defaultGroupName is not null)
                {
                    reader.Report(groupPath.At("Routes"), "only one group may leave Routes empty (apply to every route); '" + defaultGroupName + "' already does");
                }

                defaultGroup = group;
                defaultGroupName = groupOptions.Name;
                continue;
            }

            for (var i = 0; i < groupOptions.Routes.Count; i++)
            {
                var route = groupOptions.Routes[i];
                if (!routes.Contains(route))
                {
                    reader.Report(groupPath.At("Routes", i), "unknown route '" + route + "'; ReverseProxy:Routes has " + NearestNames.Describe(routes, route));
                }
                else if (!routeOwner.TryAdd(route, groupOptions.Name))
                {
                    reader.Report(groupPath.At("Routes", i), "route '" + route + "' is already in group '" + routeOwner[route] + "'");
                }
                else
                {
                    byRoute[route] = group;
                }
            }
        }

        if (problems.Count > before)
        {
            return null;
        }

        return new GatewaySnapshot(
            revisionId,
            options.TagHeader,
            options.DestinationTagKey,
            string.IsNullOrEmpty(options.ServedLaneHeader) ? null : options.ServedLaneHeader,
            options.IncomingTag.Trust,
            trustedTagNetworks,
            clients,
            new RuleSet(byRoute.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), defaultGroup),
            tagDecisions.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static RuleGroup CompileGroup(LaneGroupOptions options, LanePath path, bool hasCitySource, Dictionary<string, StickyKey> stickyKeys, ConfigReader reader)
    {
        var lanes = new List<LaneRule>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var earlierPercentages = new List<(string Name, double Percentage, HashSet<string> Keys)>();
        for (var i = 0; i < options.Lanes.Count; i++)
        {
            var laneOptions = options.Lanes[i];
            var lanePath = path.Lane(i);
            if (!LaneTag.IsValid(laneOptions.Name))
            {
                reader.Report(lanePath.At("Name"), "'" + laneOptions.Name + "' is not a lane name (1-64 characters of A-Z a-z 0-9 . _ -)");
            }
            else if (!names.Add(laneOptions.Name))
            {
                reader.Report(lanePath.At("Name"), "duplicate lane name '" + laneOptions.Name + "' in group '" + options.Name + "'");
            }

            if (!LaneTag.IsValid(laneOptions.Tag))
            {
                reader.Report(lanePath.At("Tag"), "'" + laneOptions.Tag + "' is not a lane tag (1-64 characters of A-Z a-z 0-9 . _ -)");
            }
            else if (string.Equals(laneOptions.Tag, LaneNames.Baseline, StringComparison.OrdinalIgnoreCase))
            {
                reader.Report(lanePath.At("Tag"), "'" + LaneNames.Baseline + "' is reserved for the baseline (instances without a lane tag)");
            }

            var conditions = CompileMatch(laneOptions.Match, lanePath, hasCitySource, reader);
            var percentage = CompilePercentage(options.Name, laneOptions, lanePath, stickyKeys, reader);
            if (percentage is not null)
            {
                CheckOverlap(laneOptions, lanePath, conditions, earlierPercentages, reader);
            }
            else if (laneOptions.Percentage is null && IsEmpty(laneOptions.Match))
            {
                reader.Report(lanePath.ToString(), "lane '" + laneOptions.Name + "' has no Match and no Percentage, so it would take every request; use Percentage: 100 to mean that");
            }

            lanes.Add(new LaneRule(options.Name, laneOptions.Name, laneOptions.Tag, laneOptions.Fallback, conditions, percentage));
        }

        return new RuleGroup(options.Name, [.. lanes]);
    }

    /// <param name="stickyKeys">Keys parsed so far in this compile: thousands of canaries keyed on one header share one.</param>
    private static PercentageRule? CompilePercentage(string group, LaneOptions lane, LanePath path, Dictionary<string, StickyKey> stickyKeys, ConfigReader reader)
    {
        if (lane.Percentage is not { } percentage)
        {
            if (lane.StickyKey is not null)
            {
                reader.Report(path.At("StickyKey"), "StickyKey is only used with Percentage");
            }

            return null;
        }

        var ok = true;
        if (percentage is < 0 or > 100)
        {
            reader.Report(path.At("Percentage"), "percentage " + percentage.ToString(CultureInfo.InvariantCulture) + " is outside 0-100");
            ok = false;
        }

        StickyKey? key = null;
        if (string.IsNullOrWhiteSpace(lane.StickyKey))
        {
            reader.Report(path.At("StickyKey"), "a percentage lane needs a StickyKey (header:NAME, cookie:NAME, query:NAME or clientIp) so each user stays in one lane");
            ok = false;
        }
        else if (!stickyKeys.TryGetValue(lane.StickyKey, out key))
        {
            if (StickyKey.TryParse(lane.StickyKey, out key, out var error))
            {
                stickyKeys.Add(lane.StickyKey, key!);
            }
            else
            {
                reader.Report(path.At("StickyKey"), error);
                ok = false;
            }
        }

        return ok ? new PercentageRule(percentage, key!, group, lane.Name) : null;
    }

    private static IRule[] CompileMatch(MatchOptions? match, LanePath lane, bool hasCitySource, ConfigReader reader)
    {
        if (match is null)
        {
            return [];
        }

        var rules = new List<IRule>();
        CompileValues(match.Headers, lane.MatchList("Headers"), reader, rules, (o, m) => new HeaderRule(o, m), header: true);
        CompileValues(match.Cookies, lane.MatchList("Cookies"), reader, rules, (o, m) => new CookieRule(o, m), header: false);
        CompileValues(match.Query, lane.MatchList("Query"), reader, rules, (o, m) => new QueryRule(o, m), header: false);
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

    private static void CompileValues(
        List<ValueConditionOptions> conditions, LanePath list, ConfigReader reader, List<IRule> rules,
        Func<ValueConditionOptions, ValueMatcher, IRule> create, bool header)
    {
        for (var i = 0; i < conditions.Count; i++)
        {
            var condition = conditions[i];
            if (string.IsNullOrWhiteSpace(condition.Name) || (header && !IsToken(condition.Name)))
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

    private static bool IsEmpty(MatchOptions? match) =>
        match is null || (match.Headers.Count == 0 && match.Cookies.Count == 0 && match.Query.Count == 0 && match.ClientNetworks.Count == 0 && match.Cities.Count == 0);
}
