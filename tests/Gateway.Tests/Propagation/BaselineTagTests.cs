using Gateway.Tests.Support;
using Lanes.Propagation;

namespace Gateway.Tests.Propagation;

/// <summary><c>base</c> names the baseline wherever a lane is read, as at the gateway: it is never a lane of its own.</summary>
public sealed class BaselineTagTests
{
    /// <summary>
    /// A trusted caller's <c>base</c> is the baseline, as at the gateway (which forwards it untagged): the request has
    /// no lane, and its calls carry none.
    /// </summary>
    [Theory]
    [InlineData("x-mse-tag", "base")]
    [InlineData("baggage", "lane=base,user=42")]
    public async Task Call_TrustedCallersBaseTag_IsTheBaselineAndCarriedOnUntagged(string header, string value)
    {
        await using var lines = await HeaderEchoBackend.StartAsync();
        await using var trusting = await LaneService.StartAsync(new() { ["Services:lines:http:0"] = lines.Url });

        var (_, lane) = await trusting.GetAsync("/lane", (header, value));
        var (_, body) = await trusting.GetAsync("/call/lines", (header, value));

        lane.Should().Be("(none)");
        body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().NotContain(line => line.Contains("base", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("base", null)]
    [InlineData("gray", "gray")]
    [InlineData("not a tag", null)]
    public void Enter_Lane_IsCurrentUnlessTheBaseline(string lane, string? current)
    {
        using (LaneContext.Enter(lane))
        {
            LaneContext.Current.Should().Be(current);
        }
    }
}
