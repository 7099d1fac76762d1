using System.Reflection;
using System.Text.RegularExpressions;
using Gateway.Tests.Support;

namespace Gateway.Tests.Host;

/// <summary>The Prometheus, Grafana and Kubernetes files in deploy/ and the Dockerfile pass the real tools' checks and unit tests.</summary>
public class DeployArtifactsTests
{
    [Fact]
    public async Task AlertRules_PassPromtoolUnitTests()
    {
        var (exitCode, stdout, stderr) = await Tool.RunAsync("promtool", ["test", "rules", "deploy/prometheus/alerts.test.yml"]);

        exitCode.Should().Be(0, stdout + stderr);
    }

    [Fact]
    public async Task PrometheusConfigAndRules_PassPromtoolChecks()
    {
        var config = await Tool.RunAsync("promtool", ["check", "config", "deploy/prometheus/prometheus.yml"]);
        var rules = await Tool.RunAsync("promtool", ["check", "rules", "deploy/prometheus/alerts.yml"]);

        config.ExitCode.Should().Be(0, config.StdOut + config.StdErr);
        rules.ExitCode.Should().Be(0, rules.StdOut + rules.StdErr);
    }

    [Fact]
    public async Task DashboardQueries_ParseAndUseOnlyEmittedNames()
    {
        var (exitCode, stdout, stderr) = await Tool.RunAsync("bash", ["deploy/prometheus/check-dashboard-queries.sh"]);

        exitCode.Should().Be(0, stdout + stderr);
    }

    [Fact]
    public async Task KubernetesManifests_PassSchemaValidation_AndTheirGatewayConfigPassesValidate()
    {
        var extracted = Path.Combine(Path.GetTempPath(), "lanes-k8s-" + Guid.NewGuid().ToString("n") + ".json");
        try
        {
            var manifests = await Tool.RunAsync("node", ["deploy/k8s/validate/validate.mjs", extracted]);
            var gateway = await GatewayProcess.RunToExitAsync("validate", extracted);

            manifests.ExitCode.Should().Be(0, manifests.StdOut + manifests.StdErr);
            (gateway.ExitCode, gateway.StdErr).Should().Be((0, ""));
            gateway.StdOut.Should().Contain(": valid (revision ");
        }
        finally
        {
            File.Delete(extracted);
        }
    }

    [Fact]
    public async Task KubernetesValidator_RejectsBrokenManifests()
    {
        var (exitCode, stdout, stderr) = await Tool.RunAsync("node", ["--test", "deploy/k8s/validate/validate.test.mjs"]);

        exitCode.Should().Be(0, stdout + stderr);
    }

    [Fact]
    public async Task Dockerfile_BuildsAsWritten_AndItsImageServesBothLanes()
    {
        // A restore and a ReadyToRun publish from an empty NuGet cache, then the image started: minutes on a busy machine.
        var (exitCode, stdout, stderr) = await Tool.RunAsync("bash", ["deploy/docker/check-build.sh"], timeout: TimeSpan.FromMinutes(6));

        exitCode.Should().Be(0, stdout + stderr);
        stdout.Should().Contain("requests reached the base and gray lanes").And.Contain("the Dockerfile built and its image ran");
    }

    [Fact]
    public async Task DockerfileCheck_CopiesIntoTheWorkdirLessDockerignore_AndFailsWhenARunStepFails()
    {
        using var dir = new TempDirectory();
        // Exit 42 only when COPY put the files where Docker would, without the build output .dockerignore excludes.
        var dockerfile = dir.Write("Dockerfile", """
            FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
            WORKDIR /src
            COPY Gateway.sln ./
            COPY src/ src/
            RUN test -f /src/Gateway.sln && test -f src/Gateway.Host/Gateway.Host.csproj && test ! -e src/Gateway.Host/obj \
                && exit 42
            """);

        var (exitCode, stdout, stderr) = await Tool.RunAsync("bash", ["deploy/docker/check-build.sh", "--dockerfile", dockerfile]);

        exitCode.Should().Be(1, stdout + stderr);
        stderr.Should().Contain("RUN failed (exit 42)");
    }

    [Fact]
    public async Task DockerfileCheck_InstructionItDoesNotKnow_Fails()
    {
        using var dir = new TempDirectory();
        var dockerfile = dir.Write("Dockerfile", "FROM mcr.microsoft.com/dotnet/sdk:10.0\nADD src /src\n");

        var (exitCode, stdout, stderr) = await Tool.RunAsync("bash", ["deploy/docker/check-build.sh", "--dockerfile", dockerfile]);

        exitCode.Should().Be(1, stdout + stderr);
        stderr.Should().Contain("unsupported instruction: ADD src /src");
    }

    [Fact]
    public void Manifests_NameTheImageOfTheVersionTheGatewayReports()
    {
        // What --version prints (the gateway being the entry assembly): the informational version, the commit after a '+'.
        var reported = typeof(Gateway.Host.Hosting.CommandLine).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        var files = new[] { "Dockerfile", "deploy/k8s/deployment.yaml", "deploy/k8s/example-app.yaml", "deploy/k8s/kustomization.yaml" };

        var tags = files.SelectMany(file => Regex.Matches(File.ReadAllText(Path.Combine(RepositoryRoot.Path, file)), @"lanes-gateway:([0-9][0-9A-Za-z.-]*[0-9A-Za-z])")
            .Select(match => (file, version: match.Groups[1].Value))).ToList();
        var label = Regex.Match(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "deploy/k8s/deployment.yaml")), @"app\.kubernetes\.io/version: ""([^""]+)""").Groups[1].Value;

        tags.Should().NotBeEmpty().And.OnlyContain(tag => tag.version == reported);
        label.Should().Be(reported);
    }

    [Fact]
    public async Task DeployYaml_PassesYamllint()
    {
        var (exitCode, stdout, stderr) = await Tool.RunAsync("yamllint", ["-d", "{extends: relaxed, ignore: [node_modules/]}", "deploy/k8s", "deploy/prometheus"]);

        exitCode.Should().Be(0, stdout + stderr);
        stdout.Should().BeEmpty("the documented yamllint commands (deploy/k8s/README.md) should print no warnings either");
    }
}
