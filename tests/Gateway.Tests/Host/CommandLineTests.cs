using Gateway.Host.Hosting;

namespace Gateway.Tests.Host;

public class CommandLineTests
{
    [Fact]
    public void Parse_NoArguments_RunsTheDemo()
    {
        CommandLine.Parse([]).Should().BeEquivalentTo(new { Command = "run", ConfigFile = (string?)null, HostArgs = Array.Empty<string>(), Error = (string?)null });
    }

    [Fact]
    public void Parse_ConfigAndHostOptions_SeparatesThem()
    {
        var parsed = CommandLine.Parse(["--config", "gw.json", "--urls", "http://127.0.0.1:8080", "--Logging:LogLevel:Default=Debug"]);

        parsed.ConfigFile.Should().Be("gw.json");
        parsed.HostArgs.Should().Equal("--urls", "http://127.0.0.1:8080", "--Logging:LogLevel:Default=Debug");
        parsed.Error.Should().BeNull();
    }

    [Theory]
    [InlineData(new[] { "validate", "gw.json" }, "gw.json")]
    [InlineData(new[] { "validate", "--config=gw.json" }, "gw.json")]
    public void Parse_Validate_TakesTheFile(string[] args, string file)
    {
        var parsed = CommandLine.Parse(args);

        (parsed.Command, parsed.ConfigFile, parsed.Error).Should().Be(("validate", file, null));
    }

    [Fact]
    public void Parse_Echo_PassesItsOptionsThrough()
    {
        var parsed = CommandLine.Parse(["echo", "--service", "orders", "--lane", "gray"]);

        (parsed.Command, parsed.Error).Should().Be(("echo", null));
        parsed.HostArgs.Should().Equal("--service", "orders", "--lane", "gray");
    }

    [Theory]
    [InlineData(new[] { "validat", "gw.json" }, "unknown command 'validat'")]
    [InlineData(new[] { "validate" }, "unexpected arguments: ")]
    [InlineData(new[] { "--config" }, "--config needs a file")]
    [InlineData(new[] { "run", "extra" }, "unexpected arguments: extra")]
    public void Parse_BadUsage_IsAnError(string[] args, string error)
    {
        CommandLine.Parse(args).Error.Should().Be(error);
    }
}
