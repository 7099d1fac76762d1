using System.Collections.Frozen;
using System.Globalization;
using Gateway.Routing.Clients;
using Gateway.Routing.Rules;
using Gateway.Routing.Tagging;
using Lanes.Wire;

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

    /// <summary>
    /// Compiles the snapshot. With <paramref name="reuse"/>, a group whose options object was compiled before (the host
    /// hands an unchanged group over as the same object) keeps its rules, unless the city source changed.
    /// </summary>
    public static GatewaySnapshot? Compile(
        LanesOptions options, IReadOnlyCollection<string> routeIds, string baseDirectory, string revisionId, List<ConfigProblem> problems,
        bool reuse = false)
    {
        var reader = new ConfigReader(problems);
        CheckName(options.TagHeader, true, "TagHeader", "header name", reader);
        CheckName(options.ServedLaneHeader, !string.IsNullOrEmpty(options.ServedLaneHeader), "ServedLaneHeader", "header name", reader);
        CheckName(options.Baggage.Key, options.Baggage.Enabled, "Baggage:Key", "baggage key", reader);
        if (string.IsNullOrWhiteSpace(options.DestinationTagKey))
        {
            reader.Report(Root + ":DestinationTagKey", "must not be empty");
        }

        var trustedTagNetworks = NetworkList.Compile(options.IncomingTag.TrustedNetworks, Root + ":IncomingTag:TrustedNetworks", reader);
        if (options.IncomingTag.Trust == IncomingTagTrust.Networks && options.IncomingTag.TrustedNetworks.Count == 0)
        {
            reader.Report(Root + ":IncomingTag:TrustedNetworks", "Trust Networks needs at least one network");
        }

        var clients = ClientAddressResolver.Compile(options.ClientIp, baseDirectory, reader);
        var hasCitySource = clients.HasCitySource;
        var routes = routeIds.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        var byRoute = new Dictionary<string, RuleGroup>(StringComparer.OrdinalIgnoreCase);
        var tagLanes = new Dictionary<string, LanePath>(StringComparer.Ordinal);
        var tagDecisions = new Dictionary<string, LaneDecision>(StringComparer.Ordinal);
        var stickyKeys = new Dictionary<string, StickyKey>(StringComparer.Ordinal);
        RuleGroup? defaultGroup = null;
        var searchesLeft = NearestNames.MaxSearches;
        foreach (var groupOptions in options.Groups)
        {
            var path = new LanePath(groupOptions.Name);
            var problemsBefore = reader.ProblemCount;
            var group = reuse && groupOptions.Compiled is { } compiled && compiled.HasCitySource == hasCitySource
                ? compiled.Group
                : CompileGroup(groupOptions, path, hasCitySource, stickyKeys, reader);
            if (reuse && reader.ProblemCount == problemsBefore)
            {
                groupOptions.Compiled = (group, hasCitySource);
            }

            // All lanes stamping one tag are one lane to the services, so they must agree on its fallback.
            for (var i = 0; i < group.Lanes.Length; i++)
            {
                var lane = group.Lanes[i];
                if (lane.IsBaselinePin)
                {
                    continue;
                }

                if (tagLanes.TryAdd(lane.Tag, path with { Lane = i }))
                {
                    tagDecisions.Add(lane.Tag, new LaneDecision(lane.Tag, lane.Name, group.Name, lane.Fallback, LaneReason.IncomingTag));
                }
                else if (tagDecisions[lane.Tag].Fallback != lane.Fallback)
                {
                    reader.Report((path with { Lane = i }).At("Fallback"), "tag '" + lane.Tag + "' has Fallback " + tagDecisions[lane.Tag].Fallback + " at "
                        + tagLanes[lane.Tag] + "; every lane stamping one tag needs the same Fallback");
                }
            }

            if (groupOptions.Routes.Count == 0 && defaultGroup is not null)
            {
                reader.Report(path.At("Routes"), "only one group may leave Routes empty (apply to every route); '" + defaultGroup.Name + "' already does");
            }

            defaultGroup = groupOptions.Routes.Count == 0 ? group : defaultGroup;
            for (var i = 0; i < groupOptions.Routes.Count; i++)
            {
                var route = groupOptions.Routes[i];
                if (!routes.Contains(route))
                {
                    reader.Report(path.At("Routes", i), () => "unknown route '" + route + "'; ReverseProxy:Routes has " + NearestNames.Describe(routes, route, searchesLeft-- > 0));
                }
                else if (!byRoute.TryAdd(route, group))
                {
                    reader.Report(path.At("Routes", i), "route '" + route + "' is already in group '" + byRoute[route].Name + "'");
                }
            }
        }

        return reader.ProblemCount > 0 ? null : new GatewaySnapshot(
            revisionId,
            options.TagHeader,
            options.DestinationTagKey,
            string.IsNullOrEmpty(options.ServedLaneHeader) ? null : options.ServedLaneHeader,
            options.IncomingTag.Trust,
            trustedTagNetworks,
            clients,
            new RuleSet(byRoute.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), defaultGroup),
            tagDecisions.ToFrozenDictionary(StringComparer.Ordinal),
            options.Baggage.Enabled ? new LaneBaggage(options.Baggage.Key, tagDecisions.Keys) : null);
    }

    /// <summary>A header name or baggage key (an HTTP token), when the setting is on.</summary>
    private static void CheckName(string? name, bool on, string key, string what, ConfigReader reader)
    {
        if (on && !LaneWire.IsToken(name))
        {
            reader.Report(Root + ":" + key, "'" + name + "' is not a valid " + what);
        }
    }

    private static RuleGroup CompileGroup(LaneGroupOptions options, LanePath path, bool hasCitySource, Dictionary<string, StickyKey> stickyKeys, ConfigReader reader)
    {
        if (options.Lanes.Count > MaxLanesPerGroup)
        {
            reader.Report(path.At("Lanes"), options.Lanes.Count.ToString(CultureInfo.InvariantCulture) + " lanes; a group holds at most "
                + MaxLanesPerGroup.ToString("N0", CultureInfo.InvariantCulture) + " (every request tries its group's lanes in order): split the routes into more groups");
            return new RuleGroup(options.Name, []); // each lane is checked against the earlier ones: quadratic
        }

        var lanes = new LaneRule[options.Lanes.Count];
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var earlierPercentages = new List<(string Name, double Percentage, HashSet<string> Keys)>();
        var issued = IssuedCookie.ForGroup(options, path, reader);
        for (var i = 0; i < lanes.Length; i++)
        {
            var lane = options.Lanes[i];
            var lanePath = path with { Lane = i };
            if (!LaneWire.IsValidTag(lane.Name))
            {
                reader.Report(lanePath.At("Name"), "'" + lane.Name + "' is not a lane name (1-64 characters of A-Z a-z 0-9 . _ -)");
            }
            else if (!names.Add(lane.Name))
            {
                reader.Report(lanePath.At("Name"), "duplicate lane name '" + lane.Name + "' in group '" + options.Name + "'");
            }

            LaneChecks.Tag(lane, lanePath, reader);
            var problemsBefore = reader.ProblemCount;
            var conditions = lane.Match?.Compile(lanePath, reader, hasCitySource) ?? [];
            var matchless = conditions.Length == 0 && reader.ProblemCount == problemsBefore;
            var percentage = PercentageRule.Compile(options.Name, lane, lanePath, stickyKeys, issued, reader);
            if (percentage is not null)
            {
                LaneChecks.Overlap(lane, lanePath, conditions, earlierPercentages, reader);
            }
            else if (lane.Percentage is null && matchless)
            {
                reader.Report(lanePath.ToString(), "lane '" + lane.Name + "' has no Match and no Percentage, so it would take every request; use Percentage: 100 to mean that");
            }

            lanes[i] = new LaneRule(options.Name, lane.Name, lane.Tag, lane.Fallback, conditions, percentage);
        }

        return new RuleGroup(options.Name, lanes);
    }
}
