using Gateway.Lanes.Selection;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Lanes;

public class DestinationWarmupTests
{
    private static DestinationState Destination(string id, string? warmupSeconds) => new(id, new DestinationModel(new DestinationConfig
    {
        Address = "http://127.0.0.1:1/",
        Metadata = warmupSeconds is null ? null : new Dictionary<string, string> { ["warmupSeconds"] = warmupSeconds },
    }));

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(25, 0.25)]
    [InlineData(50, 0.5)]
    [InlineData(100, 1.0)]
    [InlineData(150, 1.0)]
    public void Apply_WarmingDestination_ShareRisesLinearlyWithAge(int secondsSinceFirstSeen, double expectedShare)
    {
        var time = new ManualTimeProvider();
        var warmup = new DestinationWarmup(time, new Random(7));
        var old = Destination("old", null);
        var fresh = Destination("fresh", "100");
        IReadOnlyList<DestinationState> candidates = [old, fresh];
        warmup.Apply(candidates);
        time.Advance(TimeSpan.FromSeconds(secondsSinceFirstSeen));

        var included = Enumerable.Range(0, 20_000).Count(_ => warmup.Apply(candidates).Contains(fresh));

        // 20,000 draws: the binomial sd is at most 71 (at p = 0.5); +/- 500 is 7 sd, and a wrong curve misses by thousands.
        included.Should().BeCloseTo((int)(expectedShare * 20_000), 500);
    }

    [Fact]
    public void Apply_OnlyWarmingDestinations_NeverLeavesTheLaneEmpty()
    {
        var warmup = new DestinationWarmup(new ManualTimeProvider(), new Random(7));
        IReadOnlyList<DestinationState> candidates = [Destination("fresh", "60")];

        var results = Enumerable.Range(0, 100).Select(_ => warmup.Apply(candidates)).ToList();

        results.Should().OnlyContain(r => r.Count == 1);
    }

    /// <summary>Metadata naming a warm-up cost a parse and a draw per destination on every request, warm or not.</summary>
    [Fact]
    public void Apply_EveryDestinationWarm_DrawsNothingAndPassesTheListOn()
    {
        var time = new ManualTimeProvider();
        var random = new CountingRandom();
        var warmup = new DestinationWarmup(time, random);
        IReadOnlyList<DestinationState> candidates = [.. Enumerable.Range(0, 1_000).Select(i => Destination("d" + i, "10"))];
        warmup.Apply(candidates);
        time.Advance(TimeSpan.FromSeconds(10));
        var drawsBefore = random.Calls;

        var results = Enumerable.Range(0, 100).Select(_ => warmup.Apply(candidates)).ToList();

        results.Should().OnlyContain(result => ReferenceEquals(result, candidates));
        (random.Calls - drawsBefore).Should().Be(0);
    }

    [Fact]
    public void Apply_FreshDestinationJoinsWarmOnes_OnlyItWarmsUp()
    {
        var time = new ManualTimeProvider();
        var warmup = new DestinationWarmup(time, new Random(7));
        var warm = Destination("warm", "10");
        warmup.Apply([warm]);
        time.Advance(TimeSpan.FromSeconds(20));
        var fresh = Destination("fresh", "10");
        IReadOnlyList<DestinationState> candidates = [warm, fresh];
        warmup.Apply(candidates);
        time.Advance(TimeSpan.FromSeconds(5));

        var results = Enumerable.Range(0, 10_000).Select(_ => warmup.Apply(candidates)).ToList();

        results.Should().OnlyContain(result => result.Contains(warm));
        results.Count(result => result.Contains(fresh)).Should().BeCloseTo(5_000, 400);
    }

    /// <summary>
    /// A warm-up of millennia (a finite number, so the config check lets it through) ends past the largest timestamp:
    /// its end wrapped around to long ago, and the destination took its full share at once instead of none.
    /// </summary>
    [Fact]
    public void Apply_WarmupPastTheLargestTimestamp_StillWarmsUp()
    {
        var time = new ManualTimeProvider();
        time.Advance(TimeSpan.FromSeconds(1));
        var warmup = new DestinationWarmup(time, new Random(7));
        var fresh = Destination("fresh", "1e12");
        IReadOnlyList<DestinationState> candidates = [Destination("old", null), fresh];
        warmup.Apply(candidates);
        time.Advance(TimeSpan.FromSeconds(60));

        var included = Enumerable.Range(0, 1_000).Count(_ => warmup.Apply(candidates).Contains(fresh));

        included.Should().Be(0);
    }

    private sealed class CountingRandom : Random
    {
        public int Calls { get; private set; }

        public override double NextDouble()
        {
            Calls++;
            return 0.5;
        }
    }

    private sealed class ManualTimeProvider : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
