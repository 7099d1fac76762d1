using System.Text;
using System.Text.Json.Nodes;
using Gateway.Benchmarks;
using Gateway.Tests.Support;

namespace Gateway.Tests.Bench;

/// <summary>
/// bench/load.sh's gateway configs (<see cref="LoadConfigs"/>, linked from the benchmark program, which writes them for
/// the script): every one passes <c>validate</c>, and the reload check's edit and add change exactly what its probes
/// look for.
/// </summary>
public class LoadConfigsTests
{
    private const int BasePort = 18100;
    private const int GrayPort = 18101;

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in LoadConfigs.Names.Split(", "))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Validate_LoadConfigOfTenThousandRoutes_IsValid(string name)
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, name + ".json");
        File.WriteAllBytes(file, LoadConfigs.ToUtf8(LoadConfigs.Named(name, BasePort, GrayPort, routes: 10_000)!));

        var (exitCode, stdout, stderr) = await GatewayProcess.RunToExitAsync("validate", file);

        exitCode.Should().Be(0, stderr);
        stdout.Should().Contain(": valid (revision ");
    }

    [Fact]
    public void Big_EditedLane_DiffersOnlyByUser1000AmongTheTestersOfRouteAll()
    {
        var expected = Big(editedLane: false, addedRoute: false);
        var group = expected["Lanes"]!["Groups"]!["svc"]!;
        group["Routes"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("all");
        group["Lanes"]![0]!["Match"]!["Headers"]![0]!["Values"]!.AsArray().Insert(0, "1000");

        var edited = Big(editedLane: true, addedRoute: false);

        JsonNode.DeepEquals(edited, expected).Should().BeTrue(edited.ToJsonString());
    }

    [Fact]
    public void Big_AddedRoute_DiffersFromTheEditOnlyByRouteAddedWithItsResponseHeader()
    {
        var expected = Big(editedLane: true, addedRoute: false);
        expected["ReverseProxy"]!["Routes"]!["added"] = JsonNode.Parse(
            """{ "ClusterId": "c0", "Match": { "Path": "/added/{**rest}" }, "Transforms": [ { "ResponseHeader": "x-added", "Set": "yes" } ] }""");

        var added = Big(editedLane: true, addedRoute: true);

        JsonNode.DeepEquals(added, expected).Should().BeTrue(added.ToJsonString());
    }

    [Fact]
    public void ToUtf8_BigConfig_OneLinePerRouteClusterAndGroup()
    {
        var text = Encoding.UTF8.GetString(LoadConfigs.ToUtf8(Big(editedLane: true, addedRoute: true)));

        var lines = text.Split('\n');
        lines.Should().ContainSingle(l => l.StartsWith("      \"added\": {\"ClusterId\":\"c0\",", StringComparison.Ordinal));
        lines.Count(l => l.StartsWith("      \"g", StringComparison.Ordinal)).Should().Be(3);
        text.Should().EndWith("}\n");
    }

    /// <summary>load.sh's reload check in small: each change, written over the watched file, answers its probe.</summary>
    [Fact]
    public async Task Reload_LoadShChanges_EachAnswersItsProbe()
    {
        await using var backends = await BackendSet.StartAsync("svc", "base", "gray");
        var (basePort, grayPort) = (new Uri(backends["base"].Url).Port, new Uri(backends["gray"].Url).Port);
        using var directory = new ConfigDirectory(Text(LoadConfigs.Small(basePort, grayPort, withLanes: true)), mounted: false);
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File);

        var beforeGrow = await LaneOfAsync(gateway, "/r2/x");

        directory.Rewrite(Text(LoadConfigs.Big(basePort, grayPort, 3, editedLane: false, addedRoute: false)));
        var grown = await Eventually.ValueAsync(() => LaneOfAsync(gateway, "/r2/x"), lane => lane == "gray");
        var beforeEdit = await LaneOfAsync(gateway, "/api/orders");
        directory.Rewrite(Text(LoadConfigs.Big(basePort, grayPort, 3, editedLane: true, addedRoute: false)));
        var edited = await Eventually.ValueAsync(() => LaneOfAsync(gateway, "/api/orders"), lane => lane == "gray");
        var beforeAdd = await AddedHeaderAsync(gateway);
        directory.Rewrite(Text(LoadConfigs.Big(basePort, grayPort, 3, editedLane: true, addedRoute: true)));
        var added = await Eventually.ValueAsync(() => AddedHeaderAsync(gateway), header => header == "yes");

        (beforeGrow, grown, beforeEdit, edited, beforeAdd, added).Should().Be(("base", "gray", "base", "gray", (string?)null, "yes"));
    }

    private static JsonObject Big(bool editedLane, bool addedRoute) => LoadConfigs.Big(BasePort, GrayPort, 3, editedLane, addedRoute);

    private static string Text(JsonObject config) => Encoding.UTF8.GetString(LoadConfigs.ToUtf8(config));

    private static async Task<string> LaneOfAsync(TestGateway gateway, string path) =>
        (await gateway.Client.GetEchoAsync(path, (LoadConfigs.UserHeader, LoadConfigs.EditedUser))).Lane;

    private static async Task<string?> AddedHeaderAsync(TestGateway gateway)
    {
        using var response = await gateway.Client.SendAsync(EchoClient.Get("/added/x", (LoadConfigs.UserHeader, LoadConfigs.EditedUser)));
        response.EnsureSuccessStatusCode();
        return response.Headers.TryGetValues("x-added", out var values) ? string.Join(",", values) : null;
    }
}
