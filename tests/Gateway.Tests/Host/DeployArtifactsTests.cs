using Gateway.Tests.Support;

namespace Gateway.Tests.Host;

/// <summary>The Prometheus and Grafana files in deploy/ pass the real tools' checks and unit tests.</summary>
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
}
