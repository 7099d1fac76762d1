using System.Globalization;
using Gateway.Routing.Clients;
using Gateway.Routing.Rules;

namespace Gateway.Routing.Config;

/// <summary>The compiler's checks that span lanes or groups, and the client address settings.</summary>
public static partial class GatewaySnapshotCompiler
{
    private static ClientAddressResolver CompileClients(ClientIpOptions options, string baseDirectory, ConfigReader reader, out bool hasCitySource)
    {
        var path = Root + ":ClientIp";
        var proxies = NetworkList.Compile(options.TrustedProxies, path + ":TrustedProxies", reader);
        if (options.CityHeader is { Length: > 0 } header && !IsToken(header))
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

    /// <summary>
    /// A percentage lane whose conditions include all of an earlier percentage lane's conditions sees only requests
    /// that lane also saw, so their shares add up; more than 100 for the same requests cannot be honoured.
    /// </summary>
    private static void CheckOverlap(
        LaneOptions lane, LanePath path, IRule[] conditions, List<(string Name, double Percentage, HashSet<string> Keys)> earlier, ConfigReader reader)
    {
        var keys = conditions.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var total = lane.Percentage!.Value;
        var sharing = new List<string>();
        foreach (var (name, percentage, earlierKeys) in earlier)
        {
            if (earlierKeys.IsSubsetOf(keys))
            {
                total += percentage;
                sharing.Add("'" + name + "'");
            }
        }

        if (total > 100 + 1e-9)
        {
            sharing.Add("'" + lane.Name + "'");
            reader.Report(path.At("Percentage"), "lanes " + string.Join(", ", sharing) + " take "
                + total.ToString(CultureInfo.InvariantCulture) + "% of the same requests, more than 100");
        }

        earlier.Add((lane.Name, lane.Percentage.Value, keys));
    }

    /// <summary>All lanes stamping one tag are one lane to the services, so they must agree on its fallback.</summary>
    private static void CheckFallbacks(
        LaneGroupOptions group, LanePath path, Dictionary<string, (LaneFallback Fallback, LanePath Lane)> seen, ConfigReader reader)
    {
        for (var i = 0; i < group.Lanes.Count; i++)
        {
            var lane = group.Lanes[i];
            if (seen.TryGetValue(lane.Tag, out var first))
            {
                if (first.Fallback != lane.Fallback)
                {
                    reader.Report(path.Lane(i).At("Fallback"), "tag '" + lane.Tag + "' has Fallback " + first.Fallback + " at " + first.Lane + "; every lane stamping one tag needs the same Fallback");
                }
            }
            else
            {
                seen[lane.Tag] = (lane.Fallback, path.Lane(i));
            }
        }
    }

    /// <summary>An HTTP token (RFC 9110), as header names must be.</summary>
    private static bool IsToken(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !"!#$%&'*+-.^_`|~".Contains(c))
            {
                return false;
            }
        }

        return true;
    }
}
