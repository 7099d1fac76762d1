using Gateway.Routing.Tagging;
using Lanes.Propagation;

namespace Gateway.Tests.Propagation;

/// <summary>
/// The package keeps its own copies of the wire rules it shares with the gateway (a service must not reference the
/// gateway's projects), so each pair must answer alike: a tag the gateway stamps is one every service believes, and a
/// baggage key the gateway strips from an untrusted client is one a service strips too.
/// </summary>
public class WireFormatTwinsTests
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

    [Fact]
    public void BaggageKey_AnySpelling_SameAnswerAsTheGateway()
    {
        List<string> keys = ["lane", "LANE", " lane ", "l%61ne", "l%41NE", "lane+", "+lane", "%20lane%20", "la ne", "lanes", "lan", "", "%", "lane%", "lane%2", "l%6", "%6c%61%6e%65", "x-lane", "\tlane"];
        for (var c = (char)32; c < 127; c++)
        {
            keys.Add("lane" + c);
            keys.Add(c + "lane");
        }

        var disagreements = keys.Where(key => BaggageHeader.NamesKey(key, "lane") != BaggageKey.Names(key, "lane"));

        disagreements.Should().BeEmpty();
    }
}
