using System.Globalization;
using Gateway.Routing.Rules;
using Gateway.Routing.Tagging;
using Lanes.Wire;

namespace Gateway.Routing.Config;

/// <summary>Checks of a lane on its own and against the lanes before it: its tag and its share of the requests.</summary>
internal static class LaneChecks
{
    private const int MaxNamed = 3;

    /// <summary>
    /// A percentage lane whose conditions include all of an earlier percentage lane's conditions sees only requests
    /// that lane also saw, so their shares add up; more than 100 for the same requests cannot be honoured.
    /// </summary>
    public static void Overlap(
        LaneOptions lane, LanePath path, IRule[] conditions, List<(string Name, double Percentage, HashSet<string> Keys)> earlier, ConfigReader reader)
    {
        var keys = conditions.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var sharing = earlier.Where(e => e.Keys.IsSubsetOf(keys)).ToList();
        var total = sharing.Aggregate(lane.Percentage!.Value, (sum, e) => sum + e.Percentage);
        if (total > 100 + 1e-9)
        {
            // Named up to a few: a thousand small lanes would otherwise each repeat every earlier name (tens of MB).
            var named = string.Join(", ", sharing.Take(MaxNamed).Select(e => "'" + e.Name + "'"));
            var more = sharing.Count > MaxNamed ? ", " + (sharing.Count - MaxNamed).ToString(CultureInfo.InvariantCulture) + " more and '" : ", '";
            reader.Report(path.At("Percentage"), "lanes " + named + more + lane.Name + "' take "
                + total.ToString(CultureInfo.InvariantCulture) + "% of the same requests, more than 100");
        }

        earlier.Add((lane.Name, lane.Percentage.Value, keys));
    }

    /// <summary>A lane's tag: a valid tag, or <c>base</c> (exactly) to pin the lane's requests to the baseline.</summary>
    public static void Tag(LaneOptions lane, LanePath path, ConfigReader reader)
    {
        if (!LaneWire.IsValidTag(lane.Tag))
        {
            reader.Report(path.At("Tag"), "'" + lane.Tag + "' is not a lane tag (1-64 characters of A-Z a-z 0-9 . _ -)");
        }
        else if (lane.Tag == LaneNames.Baseline && lane.Fallback == LaneFallback.Reject)
        {
            reader.Report(path.At("Fallback"), "a lane with Tag '" + LaneNames.Baseline + "' pins its requests to the baseline and has no lane to fall back from; leave Fallback out");
        }
        else if (lane.Tag != LaneNames.Baseline && string.Equals(lane.Tag, LaneNames.Baseline, StringComparison.OrdinalIgnoreCase))
        {
            reader.Report(path.At("Tag"), "'" + lane.Tag + "' is reserved for the baseline; did you mean '" + LaneNames.Baseline + "' (pins the lane's requests to the baseline)?");
        }
    }
}
