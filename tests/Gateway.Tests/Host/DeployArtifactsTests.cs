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
        var (exitCode, stdout, stderr) = await Tool.RunAsync("bash", ["deploy/docker/check-build.sh"]);

        exitCode.Should().Be(0, stdout + stderr);
        stdout.Should().Contain("requests reached the base and gray lanes").And.Contain("the Dockerfile built and its image ran");
    }

    [Fact]
    public async Task DeployYaml_PassesYamllint()
    {
        var (exitCode, stdout, stderr) = await Tool.RunAsync("yamllint", ["-d", "{extends: relaxed, ignore: [node_modules/]}", "deploy/k8s", "deploy/prometheus"]);

        exitCode.Should().Be(0, stdout + stderr);
    }
}
