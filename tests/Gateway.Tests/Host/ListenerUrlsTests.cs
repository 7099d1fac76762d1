using Gateway.Tests.Support;

namespace Gateway.Tests.Host;

/// <summary>
/// The public listener's addresses follow the order every setting follows: the gateway's default, then the
/// environment (<c>ASPNETCORE_URLS</c>, which the container image and the Kubernetes manifests set), then the config
/// file's <c>urls</c>, then <c>--urls</c>. Two loopback addresses tell the layers apart.
/// </summary>
public sealed class ListenerUrlsTests : IDisposable
{
    private const string FileAddress = "http://127.0.0.1:0";
    private const string EnvironmentAddress = "http://127.0.0.2:0";

    private readonly TempDirectory _directory = new();

    /// <summary>Before: ASPNETCORE_URLS won over the file, so in the image a file's <c>urls</c> was silently ignored.</summary>
    [Fact]
    public async Task Start_FileUrlsAndEnvironmentUrls_ListensOnTheFiles()
    {
        var file = _directory.Write("gateway.json", RuleHarness.Config(LaneSpec.Percentage("canary", "gray", 30)).Set("urls", FileAddress));

        await using var gateway = await StartAsync(file, EnvironmentAddress);

        gateway.Address.Host.Should().Be("127.0.0.1", "the config file's urls override the environment's");
    }

    [Fact]
    public async Task Start_EnvironmentUrlsOnly_ListensOnThem()
    {
        var file = _directory.Write("gateway.json", RuleHarness.Config(LaneSpec.Percentage("canary", "gray", 30)));

        await using var gateway = await StartAsync(file, EnvironmentAddress);

        gateway.Address.Host.Should().Be("127.0.0.2", "ASPNETCORE_URLS applies when the file sets no urls");
    }

    /// <summary>Before: a file's <c>urls</c> made Kestrel warn "Overriding address(es)" at every start.</summary>
    [Fact]
    public async Task Start_FileUrls_LogsNoWarning()
    {
        var file = _directory.Write("gateway.json", RuleHarness.Config(LaneSpec.Percentage("canary", "gray", 30)).Set("urls", FileAddress));

        await using var gateway = await StartAsync(file, environmentUrls: null);
        await Task.Delay(TimeSpan.FromMilliseconds(200));

        gateway.Output.Should().NotContain("WRN").And.NotContain("Overriding address");
    }

    public void Dispose() => _directory.Dispose();

    private static Task<GatewayProcess> StartAsync(string file, string? environmentUrls)
    {
        var environment = environmentUrls is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["ASPNETCORE_URLS"] = environmentUrls };
        return GatewayProcess.StartListeningAsync(environment, "--config", file, "--Admin:Urls", "http://127.0.0.1:0");
    }
}
