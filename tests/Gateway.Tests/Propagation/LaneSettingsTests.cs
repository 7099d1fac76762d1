using Lanes.Propagation;

namespace Gateway.Tests.Propagation;

public sealed class LaneSettingsTests
{
    [Fact]
    public void Lane_ManyUnconfiguredLanes_KeepsTheFirstOnesAndReadsEveryOne()
    {
        var settings = new LaneSettings(new LanesOptions { Lane = "gray" });
        var first = settings.Lane("dev-0");

        for (var i = 1; i < LaneSettings.UnconfiguredLaneCapacity + 20; i++)
        {
            settings.Lane("dev-" + i).Should().Be("dev-" + i);
        }

        var late = "dev-" + (LaneSettings.UnconfiguredLaneCapacity + 5);
        settings.UnconfiguredLaneCount.Should().Be(LaneSettings.UnconfiguredLaneCapacity);
        settings.Lane("dev-0").Should().BeSameAs(first);
        settings.Lane(late).Should().Be(late).And.NotBeSameAs(settings.Lane(late));
        settings.BaggageEntry(late).Should().Be("lane=" + late);
        settings.Lane("gray").Should().BeSameAs(settings.OwnLane);
    }

    [Fact]
    public void BaggageEntry_UnconfiguredLaneKept_IsBuiltOnce()
    {
        var settings = new LaneSettings(new LanesOptions { Baggage = new LaneBaggageOptions { Key = "x-lane" } });

        var entry = settings.BaggageEntry("dev-alice");

        entry.Should().Be("x-lane=dev-alice");
        settings.BaggageEntry("dev-alice").Should().BeSameAs(entry);
        settings.BaggageEntry(settings.Lane("dev-alice")).Should().BeSameAs(entry);
    }

    [Fact]
    public void Readme_StatesTheBound()
    {
        var readme = File.ReadAllText(Path.Combine(Support.RepositoryRoot.Path, "src", "Lanes.Propagation", "README.md"));

        readme.Should().Contain("the first " + LaneSettings.UnconfiguredLaneCapacity + " lanes no configuration names");
    }
}
