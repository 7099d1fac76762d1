using System.Text;
using Gateway.Host.Config;
using Gateway.Routing.Config;
using Gateway.Tests.Support;

namespace Gateway.Tests.Host;

/// <summary>
/// Host setting values that passed their checks and then stopped the start with a stack trace (exit 134): NaN passes
/// every comparison of a range check, and Serilog refuses a level override for an empty category name.
/// </summary>
public sealed class HostSettingEdgeValueTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData("""{ "Lifecycle": { "DrainDelaySeconds": "NaN" } }""", "Lifecycle:DrainDelaySeconds: NaN is outside 0-3600")]
    [InlineData("""{ "Telemetry": { "Otlp": { "ExportIntervalSeconds": "NaN" } } }""", "Telemetry:Otlp:ExportIntervalSeconds: must be more than 0")]
    [InlineData("""{ "Logging": { "LogLevel": { "": "Debug" } } }""", "Logging:LogLevel: a category name must not be empty")]
    [InlineData("""{ "Logging": { "LogLevel": { " ": "Debug" } } }""", "Logging:LogLevel: a category name must not be empty")]
    public void Compile_EdgeValue_IsAProblemWithItsPath(string json, string expected)
    {
        var problems = new List<ConfigProblem>();
        var document = ConfigDocument.Parse(Encoding.UTF8.GetBytes(json), "gateway.json", problems)!;

        GatewayConfigLoader.Compile(document, ".", problems).Should().BeNull();

        problems.Select(p => p.ToString()).Should().Equal(expected);
    }

    [Theory]
    [InlineData("--Lifecycle:DrainDelaySeconds=NaN", "Lifecycle:DrainDelaySeconds: NaN is outside 0-3600")]
    [InlineData("--Logging:LogLevel:=Debug", "Logging:LogLevel: a category name must not be empty")]
    public async Task Start_EdgeValueOverride_ExitsTwoNamingIt(string argument, string expected)
    {
        var file = _directory.Write("gateway.json", RuleHarness.Config(LaneSpec.Percentage("canary", "gray", 30)));

        var start = await GatewayProcess.RunToExitAsync("--config", file, "--urls", "http://127.0.0.1:0", "--Admin:Urls", "http://127.0.0.1:0", argument);

        start.ExitCode.Should().Be(2, start.StdErr);
        start.StdErr.Should().Contain(expected).And.NotContain("Unhandled exception");
    }

    public void Dispose() => _directory.Dispose();
}
