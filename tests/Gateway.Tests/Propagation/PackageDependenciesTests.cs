using System.IO.Compression;
using System.Xml.Linq;
using FluentAssertions;
using Gateway.Tests.Support;
using Xunit;

namespace Gateway.Tests.Propagation;

/// <summary>The package a service adds must not bring the gateway or YARP into the service (STYLE: services never pull in the gateway).</summary>
public sealed class PackageDependenciesTests
{
    [Fact]
    public async Task Pack_LanesPropagation_DependsOnNeitherTheGatewayNorYarp()
    {
        using var output = new TempDirectory();
        var (exitCode, stdout, stderr) = await Tool.RunAsync(
            "dotnet", ["pack", "src/Lanes.Propagation", "-c", "Release", "-o", output.Path, "-nologo"], timeout: TimeSpan.FromMinutes(5));
        exitCode.Should().Be(0, "dotnet pack should succeed:\n{0}\n{1}", stdout, stderr);

        var package = Directory.GetFiles(output.Path, "Lanes.Propagation.*.nupkg").Should().ContainSingle().Subject;
        using var archive = ZipFile.OpenRead(package);
        var nuspec = archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        await using var stream = nuspec.Open();
        var dependencies = XDocument.Load(stream).Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (string)e.Attribute("id")!).ToList();

        dependencies.Should().Contain("Microsoft.Extensions.ServiceDiscovery");
        dependencies.Should().NotContain(id => id.StartsWith("Yarp", StringComparison.OrdinalIgnoreCase) || id.StartsWith("Gateway", StringComparison.OrdinalIgnoreCase));
    }
}
