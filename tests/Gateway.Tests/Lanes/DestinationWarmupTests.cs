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

    private sealed class ManualTimeProvider : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
