using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Functional;

public sealed class CrossProcessStickinessTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task SameUser_LandsInSameLane_ThroughTwoSeparatelyStartedGatewayProcesses()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        var file = _directory.Write("gateway.json", orders.AddTo(new GatewayConfigBuilder())
            .Group("trade", ["orders"], Percentage("canary-a", "gray", 30), Percentage("canary-b", "blue", 20)).ToJson());
        await using var first = await GatewayProcess.StartAsync("--config", file);
        await using var second = await GatewayProcess.StartAsync("--config", file);
        using var firstClient = new HttpClient { BaseAddress = first.Address };
        using var secondClient = new HttpClient { BaseAddress = second.Address };

        var viaFirst = await LaneAssignments.ServedLanesAsync(firstClient, "/orders/1", 2_000);
        var viaSecond = await LaneAssignments.ServedLanesAsync(secondClient, "/orders/1", 2_000);

        first.Address.Port.Should().NotBe(second.Address.Port);
        first.Output.Should().NotContain("WRN", "a normal start logs no warning (e.g. Kestrel's 'Overriding address(es)')");
        viaSecond.Should().Equal(viaFirst);
        viaFirst.Distinct().Should().BeEquivalentTo(["gray", "blue", "base"], "the split is real, not everyone in one lane");
    }

    public void Dispose() => _directory.Dispose();
}
