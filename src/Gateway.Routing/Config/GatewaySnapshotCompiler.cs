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
public static class GatewaySnapshotCompiler
{
    private const string Root = LanesOptions.SectionName;

    /// <summary>
    /// Most lanes one group may hold. A request tries its route's group's lanes in order until one matches, so an
    /// unmatched request costs time in proportion to the group's lanes; the bound keeps that cost small.
    /// </summary>
    public const int MaxLanesPerGroup = 1_000;

    /// <summary>Compiles the snapshot; with <paramref name="cache"/>, groups compiled before from the same options are reused.</summary>
    public static GatewaySnapshot? Compile(
        LanesOptions options, IReadOnlyCollection<string> routeIds, string baseDirectory, string revisionId, List<ConfigProblem> problems,
        LaneGroupCache.Builder? cache = null)
    {
        var reader = new ConfigReader(problems);
        var before = problems.Count;

        if (!HttpToken.IsValid(options.TagHeader))
        {
            reader.Report(Root + ":TagHeader", "'" + options.TagHeader + "' is not a valid header name");
        }

        if (!string.IsNullOrEmpty(options.ServedLaneHeader) && !HttpToken.IsValid(options.ServedLaneHeader))
        {
            reader.Report(Root + ":ServedLaneHeader", "'" + options.ServedLaneHeader + "' is not a valid header name");
        }

        if (options.Baggage.Enabled && !HttpToken.IsValid(options.Baggage.Key))
        {
            reader.Report(Root + ":Baggage:Key", "'" + options.Baggage.Key + "' is not a valid baggage key");
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
                if (!lane.IsBaselinePin && !tagDecisions.ContainsKey(lane.Tag))
                {
                    tagDecisions.Add(lane.Tag, new LaneDecision(lane.Tag, lane.Name, group.Name, lane.Fallback, LaneReason.IncomingTag));
                }
            }

            LaneChecks.Fallbacks(groupOptions, groupPath, tagFallbacks, reader);
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
            tagDecisions.ToFrozenDictionary(StringComparer.Ordinal))
        {
            Baggage = options.Baggage.Enabled ? new LaneBaggage(options.Baggage.Key, tagDecisions.Keys) : null,
        };
    }

    private static ClientAddressResolver CompileClients(ClientIpOptions options, string baseDirectory, ConfigReader reader, out bool hasCitySource)
    {
        var path = Root + ":ClientIp";
        var proxies = NetworkList.Compile(options.TrustedProxies, path + ":TrustedProxies", reader);
        if (options.CityHeader is { Length: > 0 } header && !HttpToken.IsValid(header))
        {
            reader.Report(path + ":CityHeader", "'" + header + "' is not a valid header name");
        }

        CityDatabase? cities = null;
        if (!string.IsNullOrWhiteSpace(options.CityDatabase))
        {
            var file = Path.GetFullPath(options.CityDatabase, baseDirectory);
            var errors = new List<string>();
            cities = CityDatabase.Load(file, errors);
            foreach (var error in errors.Take(20))
            {
                reader.Report(path + ":CityDatabase", error);
            }

            if (errors.Count > 20)
            {
                reader.Report(path + ":CityDatabase", (errors.Count - 20).ToString(CultureInfo.InvariantCulture) + " more problems in '" + file + "'");
            }
        }

        hasCitySource = cities is not null || (!proxies.IsEmpty && !string.IsNullOrWhiteSpace(options.CityHeader));
        return new ClientAddressResolver(proxies, options.CityHeader, cities);
    }

    private static RuleGroup CompileGroup(LaneGroupOptions options, LanePath path, bool hasCitySource, Dictionary<string, StickyKey> stickyKeys, ConfigReader reader)
    {
        if (options.Lanes.Count > MaxLanesPerGroup)
        {
            reader.Report(path.At("Lanes"), options.Lanes.Count.ToString(CultureInfo.InvariantCulture) + " lanes; a group holds at most "
                + MaxLanesPerGroup.ToString("N0", CultureInfo.InvariantCulture) + " (every request tries its group's lanes in order): split the routes into more groups");
        }

        var lanes = new List<LaneRule>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var earlierPercentages = new List<(string Name, double Percentage, HashSet<string> Keys)>();
        var issued = IssuedCookie.ForGroup(options, path, reader);
        for (var i = 0; i < options.Lanes.Count; i++)
        {
            var laneOptions = options.Lanes[i];
            var lanePath = path with { Lane = i };
            if (!LaneTag.IsValid(laneOptions.Name))
            {
                reader.Report(lanePath.At("Name"), "'" + laneOptions.Name + "' is not a lane name (1-64 characters of A-Z a-z 0-9 . _ -)");
            }
            else if (!names.Add(laneOptions.Name))
            {
                reader.Report(lanePath.At("Name"), "duplicate lane name '" + laneOptions.Name + "' in group '" + options.Name + "'");
            }

            LaneChecks.Tag(laneOptions, lanePath, reader);
            var problemsBefore = reader.ProblemCount;
            var conditions = laneOptions.Match?.Compile(lanePath, reader, hasCitySource) ?? [];
            var matchless = conditions.Length == 0 && reader.ProblemCount == problemsBefore;
            var percentage = CompilePercentage(options.Name, laneOptions, lanePath, stickyKeys, issued, reader);
            if (percentage is not null)
            {
                LaneChecks.Overlap(laneOptions, lanePath, conditions, earlierPercentages, reader);
            }
            else if (laneOptions.Percentage is null && matchless)
            {
                reader.Report(lanePath.ToString(), "lane '" + laneOptions.Name + "' has no Match and no Percentage, so it would take every request; use Percentage: 100 to mean that");
            }

            lanes.Add(new LaneRule(options.Name, laneOptions.Name, laneOptions.Tag, laneOptions.Fallback, conditions, percentage));
        }

        return new RuleGroup(options.Name, [.. lanes]);
    }

    /// <param name="stickyKeys">Keys parsed so far in this compile: thousands of canaries keyed on one header share one.</param>
    /// <param name="issued">The cookie the group issues: every lane keyed by it uses the issued id.</param>
    private static PercentageRule? CompilePercentage(
        string group, LaneOptions lane, LanePath path, Dictionary<string, StickyKey> stickyKeys, IssuedCookie? issued, ConfigReader reader)
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

        if (!ok)
        {
            return null;
        }

        var issues = issued is not null && key!.Kind == StickyKeyKind.Cookie && string.Equals(key.Name, issued.Name, StringComparison.Ordinal);
        return new PercentageRule(percentage, key!, group, lane.Name, issues ? issued : null);
    }
}
