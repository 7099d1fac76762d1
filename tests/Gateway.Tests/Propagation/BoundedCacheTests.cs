using Lanes.Propagation;

namespace Gateway.Tests.Propagation;

public sealed class BoundedCacheTests
{
    [Fact]
    public void GetOrAdd_RacingCallersWithDistinctKeys_KeepNoMoreThanTheCapacity()
    {
        var cache = new BoundedCache<int, object>(64);

        Parallel.For(0, 10_000, i => cache.GetOrAdd(i, static (_, _) => new object(), 0));
        var kept = 0;
        for (var i = 0; i < 10_000; i++)
        {
            if (ReferenceEquals(cache.GetOrAdd(i, static (_, _) => new object(), 0), cache.GetOrAdd(i, static (_, _) => new object(), 0)))
            {
                kept++;
            }
        }

        kept.Should().Be(64);
        cache.Count.Should().Be(64);
    }

    [Fact]
    public void GetOrAdd_RacingCallersWithOneKey_AllGetTheKeptValue()
    {
        var cache = new BoundedCache<string, object>(4, StringComparer.Ordinal);
        var values = new object[1_000];

        Parallel.For(0, values.Length, i => values[i] = cache.GetOrAdd("payments", static (_, _) => new object(), 0));

        values.Should().OnlyContain(v => ReferenceEquals(v, values[0]));
        cache.Count.Should().Be(1);
    }
}
