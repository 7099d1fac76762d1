using System.Globalization;
using Gateway.Routing.Clients;
using Gateway.Routing.Config;

namespace Gateway.Routing.Rules;

/// <summary>
/// A lane's share of the requests that reach it. Each percentage lane hashes the sticky key with its own salt
/// (group and lane name) and takes the request when <c>bucket / BucketCount &lt; share / remaining</c>, where
/// <c>remaining</c> is 100 % minus the shares of the earlier percentage lanes this request also qualified for.
/// That makes every share exact (30 then 20 gives 30 %, 20 %, 50 %) and ramping monotonic: raising one lane's share
/// only moves users into that lane; no user moves between other lanes or from a lane back to the baseline.
/// </summary>
public sealed class PercentageRule
{
    private readonly uint _seed;

    public PercentageRule(double percentage, StickyKey key, string group, string lane, IssuedCookie? issue = null)
    {
        Issue = issue;
        Percentage = percentage;
        Share = (int)Math.Round(percentage * (StickyHash.BucketCount / 100.0));
        Key = key;
        _seed = StickyHash.Seed(group, lane);
    }

    public double Percentage { get; }

    /// <summary>The share in buckets (millionths).</summary>
    public int Share { get; }

    public StickyKey Key { get; }

    /// <summary>The cookie the gateway issues when the request has no key (the lane is keyed by that cookie), or null.</summary>
    public IssuedCookie? Issue { get; }

    /// <summary>
    /// The request's bucket in [0, <see cref="StickyHash.BucketCount"/>): from its key; else from an id issued to it
    /// (<paramref name="issued"/>); else a random one.
    /// </summary>
    public uint Bucket(ref RequestFacts facts, Random random, out bool sticky, out bool issued)
    {
        issued = false;
        sticky = Key.TryGetBucket(ref facts, _seed, out var bucket);
        if (sticky)
        {
            return bucket;
        }

        if (Issue is not null && facts.IssueCookieId(Issue) is { } id)
        {
            sticky = issued = true;
            return StickyHash.Bucket(_seed, id);
        }

        return (uint)random.Next(StickyHash.BucketCount);
    }

    /// <summary>Whether the bucket falls in this lane's slice of what earlier lanes left (<paramref name="consumed"/> buckets).</summary>
    public bool Takes(uint bucket, long consumed)
    {
        var remaining = StickyHash.BucketCount - consumed;
        return remaining > 0 && (ulong)bucket * (ulong)remaining < (ulong)Share * StickyHash.BucketCount;
    }

    /// <summary>The lane's percentage, or null when it has none or it is invalid (each problem reported).</summary>
    /// <param name="stickyKeys">Keys parsed so far in this compile: thousands of canaries keyed on one header share one.</param>
    /// <param name="issued">The cookie the group issues: every lane keyed by it uses the issued id.</param>
    public static PercentageRule? Compile(
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

        var ok = percentage is >= 0 and <= 100;
        if (!ok)
        {
            reader.Report(path.At("Percentage"), "percentage " + percentage.ToString(CultureInfo.InvariantCulture) + " is outside 0-100");
        }

        StickyKey? key = null;
        var error = "a percentage lane needs a StickyKey (header:NAME, cookie:NAME, query:NAME or clientIp) so each user stays in one lane";
        if (!string.IsNullOrWhiteSpace(lane.StickyKey) && !stickyKeys.TryGetValue(lane.StickyKey, out key) && StickyKey.TryParse(lane.StickyKey, out key, out error))
        {
            stickyKeys.Add(lane.StickyKey, key!);
        }

        if (key is null)
        {
            reader.Report(path.At("StickyKey"), error);
            return null;
        }

        var issues = issued is not null && key.Kind == StickyKeyKind.Cookie && string.Equals(key.Name, issued.Name, StringComparison.Ordinal);
        return ok ? new PercentageRule(percentage, key, group, lane.Name, issues ? issued : null) : null;
    }

    public override string ToString() => Percentage.ToString(CultureInfo.InvariantCulture) + "% by " + Key;
}
