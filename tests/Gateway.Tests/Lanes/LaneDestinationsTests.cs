using Gateway.Lanes.Selection;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Lanes;

public class LaneDestinationsTests
{
    private static DestinationState Destination(string id, string? lane, string key = "lane")
    {
        var metadata = lane is null ? null : new Dictionary<string, string> { [key] = lane };
        return new DestinationState(id, new DestinationModel(new DestinationConfig { Address = "http://127.0.0.1:1/", Metadata = metadata }));
    }

    [Fact]
    public void For_GroupsByLaneMetadata_UntaggedAndEmptyAreBaseline()
    {
        var list = new[] { Destination("b1", null), Destination("b2", " "), Destination("g1", "gray"), Destination("g2", "gray"), Destination("x1", "blue") };

        var index = LaneDestinations.For(list, "lane");

        index.Baseline.Select(d => d.DestinationId).Should().Equal("b1", "b2");
        index.Lane("gray").Select(d => d.DestinationId).Should().Equal("g1", "g2");
        index.Lane("blue").Should().ContainSingle().Which.Should().BeSameAs(list[4], "a single survivor is passed as the destination itself");
        index.Lane("Gray").Should().BeEmpty("tags are case-sensitive");
        index.Lane("green").Should().BeEmpty();
    }

    [Fact]
    public void For_SameListTwice_ReturnsTheCachedIndexWithoutAllocating()
    {
        var list = new[] { Destination("b1", null), Destination("g1", "gray") };
        var first = LaneDestinations.For(list, "lane");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var again = LaneDestinations.For(list, "lane");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        again.Should().BeSameAs(first);
        allocated.Should().Be(0);
    }

    [Fact]
    public void For_OtherTagKey_RebuildsTheIndex()
    {
        var list = new[] { Destination("v1", "gray", key: "version") };
        LaneDestinations.For(list, "lane").Baseline.Should().ContainSingle();

        var index = LaneDestinations.For(list, "version");

        index.Lane("gray").Should().ContainSingle();
        index.Baseline.Should().BeEmpty();
    }
}
