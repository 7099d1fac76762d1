using Gateway.Routing.Tagging;
using Lanes.Propagation;

namespace Gateway.Tests.Propagation;

/// <summary>
/// The package keeps its own copy of the tag format (a service must not reference the gateway's projects), so the
/// two must accept exactly the same tags: a tag the gateway stamps is one every service believes, and no other.
/// </summary>
public class LaneTagFormatTests
{
    [Fact]
    public void IsValid_AnyTag_SameAnswerAsTheGateway()
    {
        List<string> tags = ["", "gray", "dev-alice", "v1.2_rc", new string('a', 64), new string('a', 65), "gr ay", "gräy", "lane=gray", "a,b"];
        for (var c = (char)0; c < 128; c++)
        {
            tags.Add("x" + c);
        }

        var disagreements = tags.Where(tag => LaneTagFormat.IsValid(tag) != LaneTag.IsValid(tag));

        disagreements.Should().BeEmpty();
    }
}
