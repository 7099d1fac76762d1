using System.Text.Json.Nodes;
using Gateway.Host.Diagnostics;
using Gateway.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Host;

/// <summary>Logs go through Serilog under the standard Logging:LogLevel section: levels, per-category overrides, None, and reloads.</summary>
public class GatewayLoggingTests
{
    [Fact]
    public async Task AccessLog_OnByDefault_OffWithItsCategoryAtWarning()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        var on = new CapturingLoggerProvider();
        var off = new CapturingLoggerProvider();
        var config = orders.AddTo(new GatewayConfigBuilder()).Group("trade", ["orders"], Match("vip", "gray", Header("x-user-id", "Exact", "1001")));
        await using var defaults = await TestGateway.StartAsync(config, configure: b => b.Logging.AddProvider(on));
        await using var quiet = await TestGateway.StartAsync(config.Set("Logging:LogLevel:Gateway.AccessLog", "Warning"), configure: b => b.Logging.AddProvider(off));

        await defaults.Client.GetEchoAsync("/orders/1", ("x-user-id", "1001"));
        await quiet.Client.GetEchoAsync("/orders/1", ("x-user-id", "1001"));

        var line = await Eventually.ValueAsync(() => Task.FromResult(on.Entries.FirstOrDefault(e => e.EventId.Id == 2100)), e => e is not null);
        line!.Category.Should().Be("Gateway.AccessLog");
        line.State.Should().Contain(new KeyValuePair<string, object?>("LaneTag", "gray"));
        off.Entries.Should().NotContain(e => e.EventId.Id == 2100);
    }

    [Fact]
    public async Task SerilogSection_ItsSinksReplaceTheDefaultConsoleOutput()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        using var directory = new TempDirectory();
        var file = directory.Write("gateway.json", orders.AddTo(new GatewayConfigBuilder())
            .Set("Serilog", new JsonObject
            {
                ["WriteTo"] = new JsonArray(new JsonObject
                {
                    ["Name"] = "Console",
                    ["Args"] = new JsonObject { ["outputTemplate"] = "from-serilog-section {SourceContext} {EventId}{NewLine}" },
                }),
            }).ToJson());
        await using var gateway = await GatewayProcess.StartAsync("--config", file);
        using var client = new HttpClient { BaseAddress = gateway.Address };

        await client.GetEchoAsync("/orders/1");

        await Eventually.ValueAsync(() => Task.FromResult(gateway.Output), output => output.Contains("from-serilog-section Gateway.AccessLog", StringComparison.Ordinal));
        gateway.Output.Should().NotContain(" INF] ", "the section's sink replaces the default text output");
    }

    /// <summary>The Serilog section is free-form to validate; a value Serilog refused stopped the start with a stack trace (exit 134).</summary>
    [Theory]
    [InlineData("MinimumLevel", "Loud", "Serilog: The value Loud is not a valid Serilog level.")]
    [InlineData("Using", "[\"Serilog.Sinks.Nope\"]", "Serilog: Could not load file or assembly 'Serilog.Sinks.Nope")]
    public async Task SerilogSectionSerilogRefuses_StartExitsTwoNamingIt(string key, string json, string expected)
    {
        using var directory = new TempDirectory();
        var value = json.StartsWith('[') ? JsonNode.Parse(json) : JsonValue.Create(json);
        var file = directory.Write("gateway.json", new GatewayConfigBuilder().Route("orders").Set("Serilog", new JsonObject { [key] = value }).ToJson());

        var start = await GatewayProcess.RunToExitAsync("--config", file, "--urls", "http://127.0.0.1:0", "--Admin:Urls", "http://127.0.0.1:0");

        start.ExitCode.Should().Be(2, start.StdErr);
        start.StdErr.Should().Contain(expected).And.NotContain("Unhandled exception");
    }

    [Theory]
    [InlineData("Gateway.AccessLog", LogLevel.Information, true)]
    [InlineData("Gateway.AccessLog", LogLevel.Debug, false)]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Information, false)]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning, true)]
    [InlineData("Yarp.ReverseProxy.Forwarder", LogLevel.Critical, false)]
    [InlineData("Gateway.Host.Reload", LogLevel.Debug, true)]
    public void AddGatewayLogging_LogLevelSection_MinimumAndOverridesByCategoryPrefix(string category, LogLevel level, bool enabled)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Yarp"] = "None",
            ["Logging:LogLevel:Gateway.Host"] = "Debug",
        }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddGatewayLogging()).BuildServiceProvider();

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(category);

        logger.IsEnabled(level).Should().Be(enabled);
    }

    /// <summary>Before: Serilog's levels were fixed when its logger was built, so an edited level waited for a restart.</summary>
    [Fact]
    public async Task Reload_LogLevels_ApplyAtOnce()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        var log = new CapturingLoggerProvider();
        var config = orders.AddTo(new GatewayConfigBuilder());
        using var directory = new ConfigDirectory(config.ToJson(), mounted: false);
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File, b => b.Logging.AddProvider(log));
        await gateway.Client.GetEchoAsync("/orders/1");

        directory.Rewrite(config.Set("Logging:LogLevel:Gateway.AccessLog", "Warning").Set("Logging:LogLevel:Gateway.Routing", "Debug").ToJson());
        await Eventually.ValueAsync(() => Task.FromResult(log.Entries.Count(e => e.EventId.Id == 3000)), reloads => reloads == 1);
        var before = log.Entries.Count;
        await gateway.Client.GetEchoAsync("/orders/2");

        // A second request on the same keep-alive connection starts only once the first one's pipeline, access log included, is over.
        await gateway.Client.GetEchoAsync("/orders/3");
        log.Entries.Take(before).Should().Contain(e => e.EventId.Id == 2100, "the access log was on before the reload");
        log.Entries.Skip(before).Where(e => e.EventId.Id == 1000).Should().HaveCount(2, "the reloaded file turned Gateway.Routing's Debug events on");
        log.Entries.Skip(before).Should().NotContain(e => e.EventId.Id == 2100, "the reloaded file turned the access log off");
    }
}
