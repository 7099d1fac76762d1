using System.Globalization;
using Gateway.Routing.Clients;

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

    public override string ToString() => Percentage.ToString(CultureInfo.InvariantCulture) + "% by " + Key;
}
