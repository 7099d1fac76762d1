using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Host;

/// <summary>The gateway executable's exit codes and messages, run as a real process.</summary>
public sealed class ProgramTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string Write(GatewayConfigBuilder config) => _directory.Write(Guid.NewGuid().ToString("n") + ".json", config);

    private static GatewayConfigBuilder Invalid() =>
        RuleHarness.Config(Percentage("canary-a", "gray", 80), Percentage("canary-b", "blue", 10, "headr:x"))
            .Group("other", ["nope"], Match("vip", "gray", Header("x-user-id", "Exact", "1")));

    [Fact]
    public async Task Validate_ValidFile_ExitsZero()
    {
        var file = Write(RuleHarness.Config(Percentage("canary", "gray", 30)));

        var (exitCode, stdout, _) = await GatewayProcess.RunToExitAsync("validate", file);

        exitCode.Should().Be(0);
        stdout.Should().Contain(file + ": valid (revision ");
    }

    /// <summary>A port in use, on every path that listens: one line on stderr, nothing else, no stack trace.</summary>
    [Theory]
    [InlineData("config", "public")]
    [InlineData("config", "admin")]
    [InlineData("demo", "public")]
    [InlineData("demo", "admin")]
    public async Task Run_PortInUse_ExitsThreeWithOneLine(string config, string listener)
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var busy = "http://127.0.0.1:" + port;
        string[] configArgs = config == "config" ? ["--config", Write(RuleHarness.Config(Percentage("canary", "gray", 30)))] : [];
        string[] args = [.. configArgs, "--urls", listener == "public" ? busy : "http://127.0.0.1:0", "--Admin:Urls", listener == "admin" ? busy : "http://127.0.0.1:0"];

        var (exitCode, stdout, stderr) = await GatewayProcess.RunToExitAsync(args);

        exitCode.Should().Be(3);
        stderr.Should().StartWith("Lanes Gateway cannot start: Failed to bind to address " + busy + ": address already in use.");
        stderr.TrimEnd().Should().NotContain("\n");
        stdout.Should().BeEmpty();
        if (listener == "admin")
        {
            stderr.Should().Contain("That is the admin listener").And.Contain("Admin:Urls sets");
        }
        else
        {
            stderr.Should().NotContain("Admin:Urls");
        }
    }

    [Fact]
    public async Task Run_AddressNotOnThisMachine_ExitsThreeWithOneLine()
    {
        var file = Write(RuleHarness.Config(Percentage("canary", "gray", 30)));

        // 192.0.2.1 is a documentation address (TEST-NET-1): no interface here has it, so binding it fails at once.
        var (exitCode, stdout, stderr) = await GatewayProcess.RunToExitAsync("--config", file, "--urls", "http://192.0.2.1:8080", "--Admin:Urls", "http://127.0.0.1:0");

        exitCode.Should().Be(3);
        stderr.TrimEnd().Should().Be("Lanes Gateway cannot start: Failed to bind to one of http://192.0.2.1:8080, http://127.0.0.1:0: Cannot assign requested address.");
        stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task Echo_PortInUse_ExitsThreeWithOneLine()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var busy = "http://127.0.0.1:" + ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var (exitCode, stdout, stderr) = await GatewayProcess.RunToExitAsync("echo", "--service", "orders", "--urls", busy);

        exitCode.Should().Be(3);
        stderr.TrimEnd().Should().Be("echo backend cannot start: Failed to bind to address " + busy + ": address already in use.");
        stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task Validate_InvalidFile_ExitsTwoListingEveryProblem()
    {
        var file = Write(Invalid());

        var (exitCode, _, stderr) = await GatewayProcess.RunToExitAsync("validate", file);

        exitCode.Should().Be(2);
        stderr.Should().Contain(file + ": 2 problems")
            .And.Contain("  Lanes:Groups:other:Routes[0]: unknown route 'nope'; ReverseProxy:Routes has 'orders'")
            .And.Contain("  Lanes:Groups:trade:Lanes[1]:StickyKey: 'headr:x' is not a sticky key");
    }

    /// <summary>
    /// A first start (a container's, with a fresh home directory) logs no warning and writes nothing there: data
    /// protection's hosted service made a key at start, wrote it unencrypted under $HOME/.aspnet and warned about it,
    /// though the gateway never uses such keys; and the container of YARP's standalone checks made the key directory.
    /// </summary>
    [Fact]
    public async Task Run_FreshHomeDirectory_NoWarningAndNoFileWritten()
    {
        using var home = new TempDirectory();
        var file = Write(RuleHarness.Config(Percentage("canary", "gray", 30)));

        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string> { ["HOME"] = home.Path }, "--config", file);
        using var client = new HttpClient();
        (await client.GetAsync(new Uri(gateway.AdminAddress, "/healthz/ready"))).EnsureSuccessStatusCode();

        gateway.Output.Should().NotContain("WRN");
        Directory.GetFileSystemEntries(home.Path, "*", SearchOption.AllDirectories).Should().BeEmpty();
    }

    /// <summary>A generated file with thousands of broken keys: the first thousand problems, then a line saying there are more.</summary>
    [Fact]
    public async Task Validate_ThousandsOfProblems_ListsTheFirstThousandAndSaysSo()
    {
        var admin = new System.Text.Json.Nodes.JsonObject();
        for (var i = 0; i < 3_000; i++)
        {
            admin["Unknown" + i] = 1;
        }

        var file = Write(RuleHarness.Config(Percentage("canary", "gray", 30)).Set("Admin", admin));

        var (exitCode, _, stderr) = await GatewayProcess.RunToExitAsync("validate", file);

        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        exitCode.Should().Be(2);
        lines.Should().HaveCount(1_002);
        lines[0].Should().Be(file + ": more than 1,000 problems");
        lines[^1].Should().Be("  (more): only the first 1,000 problems are listed; fix them and check again");
    }

    /// <summary>A password holding '/', '?' or '#' once ended the redaction early: validate quoted part of it.</summary>
    [Fact]
    public async Task Validate_AddressesWithDelimitersInTheirPasswords_ShowsTheHostsButNoPartOfThePasswords()
    {
        var file = Write(RuleHarness.Config()
            .Destination("c", "slash", "http://svc:pw-a1/pw-a2@10.0.0.1/")
            .Destination("c", "query", "http://svc:pw-b1?pw-b2@10.0.0.2/")
            .Destination("c", "fragment", "http://svc:pw-c1#pw-c2@10.0.0.3/")
            .Set("Telemetry:Otlp:Endpoint", "http://otel:pw-d1/pw-d2@collector:4317"));

        var (exitCode, stdout, stderr) = await GatewayProcess.RunToExitAsync("validate", file);

        exitCode.Should().Be(2);
        (stdout + stderr).Should().NotContain("pw-");
        stderr.Should().Contain("'http://[redacted]@10.0.0.1/'").And.Contain("'http://[redacted]@10.0.0.2/'")
            .And.Contain("'http://[redacted]@10.0.0.3/'").And.Contain("'http://[redacted]@collector:4317'");
    }

    [Fact]
    public async Task Run_InvalidConfig_RefusesToStartWithExitCodeTwo()
    {
        var file = Write(Invalid());

        var (exitCode, stdout, stderr) = await GatewayProcess.RunToExitAsync("--config", file, "--urls", "http://127.0.0.1:0");

        exitCode.Should().Be(2);
        stderr.Should().Contain("unknown route 'nope'");
        stdout.Should().NotContain("Now listening");
    }

    [Theory]
    [InlineData("{ \"Lanes\": ")]
    [InlineData("")]
    public async Task Run_FileThatIsNotJson_ExitsTwo(string content)
    {
        var file = _directory.Write("broken.json", content);

        var (exitCode, _, stderr) = await GatewayProcess.RunToExitAsync("validate", file);

        exitCode.Should().Be(2);
        stderr.Should().Contain(file + ": 1 problem");
    }

    [Fact]
    public async Task Run_MissingFile_ExitsTwo()
    {
        var (exitCode, _, stderr) = await GatewayProcess.RunToExitAsync("--config", Path.Combine(_directory.Path, "missing.json"));

        exitCode.Should().Be(2);
        stderr.Should().Contain("missing.json");
    }

    [Fact]
    public async Task Run_UnknownCommand_ExitsTwoWithUsage()
    {
        var (exitCode, _, stderr) = await GatewayProcess.RunToExitAsync("serve");

        exitCode.Should().Be(2);
        stderr.Should().Contain("unknown command 'serve'").And.Contain("Usage:");
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Run_Help_PrintsUsageInsteadOfStartingTheDemo(string help)
    {
        var (exitCode, stdout, stderr) = await GatewayProcess.RunToExitAsync(help);

        exitCode.Should().Be(0);
        stdout.Should().Contain("Usage:").And.Contain("validate <FILE>").And.Contain("explain <FILE> <DESCRIPTION>").And.NotContain("listening");
        stderr.Should().BeEmpty();
    }

    public void Dispose() => _directory.Dispose();
}
