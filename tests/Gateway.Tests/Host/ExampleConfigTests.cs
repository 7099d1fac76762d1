using Gateway.Tests.Support;

namespace Gateway.Tests.Host;

/// <summary>Every config shipped in examples/ (and quoted in the README) passes the gateway's own validate command.</summary>
public class ExampleConfigTests
{
    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "examples"), "*.json").Order())
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Validate_ShippedExample_IsValid(string example)
    {
        var (exitCode, stdout, stderr) = await GatewayProcess.RunToExitAsync("validate", Path.Combine(RepositoryRoot.Path, "examples", example));

        exitCode.Should().Be(0, stderr);
        stdout.Should().Contain(": valid (revision ");
    }
}
