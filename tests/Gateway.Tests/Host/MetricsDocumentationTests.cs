using System.Text.RegularExpressions;
using Gateway.Host.Demo;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Host;

/// <summary>
/// The README's metrics table is the contract dashboards and alerts are written against: a real gateway that has
/// recorded every kind of series serves exactly the documented <c>gateway_*</c> families, with their types and labels.
/// </summary>
public sealed partial class MetricsDocumentationTests
{
    [Fact]
    public async Task Metrics_NamesTypesAndLabels_EqualTheReadmeTable()
    {
        var documented = DocumentedMetrics();
        await using var gateway = await GatewayWithEverySeriesAsync();

        var served = Families(await gateway.Gateway.Admin.GetStringAsync("/metrics"));

        documented.Should().HaveCountGreaterThanOrEqualTo(9);
        foreach (var (name, row) in documented.Where(d => !d.Key.EndsWith('*')))
        {
            served.Should().ContainKey(name, "README documents {0}", name);
            served[name].Type.Should().Be(row.Type, "README documents {0} as a {1}", name, row.Type);
            served[name].Labels.Should().BeEquivalentTo(row.Labels, "README documents the labels of {0}", name);
        }

        served.Keys.Where(n => n.StartsWith("gateway_", StringComparison.Ordinal)).Should().BeSubsetOf(documented.Keys, "every gateway metric is documented");
        foreach (var prefix in documented.Keys.Where(k => k.EndsWith('*')).Select(k => k.TrimEnd('*')))
        {
            served.Keys.Should().Contain(n => n.StartsWith(prefix, StringComparison.Ordinal), "README documents {0}*", prefix);
        }

        served.Keys.Should().OnlyContain(n => documented.Keys.Any(d => d == n || (d.EndsWith('*') && n.StartsWith(d.TrimEnd('*'), StringComparison.Ordinal))),
            "no family is served that the README does not mention (no target_info, no scope info)");
    }

    [Fact]
    public void PrometheusReadme_MetricsTable_EqualsTheReadmeTable()
    {
        var documented = DocumentedMetrics().Where(d => !d.Key.EndsWith('*')).ToDictionary();
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "deploy", "prometheus", "README.md"));
        var listed = new Dictionary<string, (string Type, string[] Labels)>(StringComparer.Ordinal);
        foreach (var line in readme.Split('\n').Where(l => l.StartsWith("| `gateway_", StringComparison.Ordinal) || l.StartsWith("| `process_", StringComparison.Ordinal)))
        {
            // "| `gateway_lane_rules` (gauge) | `lane` |", or "none (`1` or `0`)" for no labels.
            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            var labels = Parenthesised().Replace(cells[2], "").Replace("`", "", StringComparison.Ordinal).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            listed[Backticked().Match(cells[1]).Groups[1].Value] = (cells[1][(cells[1].IndexOf('(') + 1)..cells[1].IndexOf(')')], labels is ["none"] ? [] : labels);
        }

        listed.Keys.Should().BeEquivalentTo(documented.Keys, "deploy/prometheus/README.md lists the metrics README documents by name");
        foreach (var (name, row) in documented)
        {
            listed[name].Type.Should().Be(row.Type, "deploy/prometheus/README.md gives {0}'s type", name);
            listed[name].Labels.Should().BeEquivalentTo(row.Labels, "deploy/prometheus/README.md gives {0}'s labels", name);
        }
    }

    /// <summary>The rows of README's "### Metrics" table: name (or a <c>prefix_*</c>), type and label names.</summary>
    private static Dictionary<string, (string Type, string[] Labels)> DocumentedMetrics()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var section = readme[readme.IndexOf("\n### Metrics\n", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n#", 1, StringComparison.Ordinal)];
        var rows = new Dictionary<string, (string Type, string[] Labels)>(StringComparer.Ordinal);
        foreach (var line in section.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length < 5 || cells[1].StartsWith("`decision`", StringComparison.Ordinal) || cells[1].StartsWith("`kind`", StringComparison.Ordinal))
            {
                continue;
            }

            // Label cells read "`cluster`, `lane`, `health` (`healthy`, `unhealthy`)": values are in parentheses.
            var labels = Backticked().Matches(Parenthesised().Replace(cells[3], "")).Select(m => m.Groups[1].Value).ToArray();
            foreach (var name in Backticked().Matches(cells[1]).Select(m => m.Groups[1].Value))
            {
                rows[name] = (cells[2], labels);
            }
        }

        return rows;
    }

    /// <summary>The families of a text-format scrape (from its TYPE lines) with the union of their samples' labels, <c>le</c> aside.</summary>
    private static Dictionary<string, (string Type, HashSet<string> Labels)> Families(string scrape)
    {
        var families = new Dictionary<string, (string Type, HashSet<string> Labels)>(StringComparer.Ordinal);
        foreach (var type in TypeLine().Matches(scrape).Cast<Match>())
        {
            families[type.Groups[1].Value] = (type.Groups[2].Value, []);
        }

        foreach (var sample in PrometheusText.Parse(scrape))
        {
            var family = families.ContainsKey(sample.Name) ? sample.Name : HistogramSuffix().Replace(sample.Name, "");
            families[family].Labels.UnionWith(sample.Labels.Keys.Where(k => k != "le"));
        }

        return families;
    }

    /// <summary>
    /// A gateway on a config file whose traffic records every gateway series: lane requests and their durations, a
    /// refused connection retried on the other gray instance, an upstream escape (the gray instance reports lane
    /// blue), destinations and rules, and one applied reload.
    /// </summary>
    private static async Task<Owned> GatewayWithEverySeriesAsync()
    {
        var owned = new Owned();
        var baseline = await owned.Add(EchoBackend.StartAsync("orders", "base", "orders-base-1"));
        var gray = await owned.Add(EchoBackend.StartAsync("orders", "gray", "orders-gray-1", reportedLane: "blue"));
        GatewayConfigBuilder Config(string user) => new GatewayConfigBuilder()
            .Route("orders").Destination("orders", baseline).Destination("orders", gray).Destination("orders", "orders-gray-dead", BackendSet.DeadAddress(), "gray")
            .Group("trade", ["orders"], Match("testers", "gray", Header("x-user-id", "Exact", user)));
        owned.Directory = new ConfigDirectory(Config("1001").ToJson(), mounted: false);
        owned.Gateway = await TestGateway.StartFromFileAsync(owned.Directory.File);
        for (var i = 0; i < 20; i++)
        {
            using var response = await owned.Gateway.Client.SendAsync(EchoClient.Get("/orders/1", ("x-user-id", "1001")));
        }

        owned.Directory.Rewrite(Config("1002").ToJson());
        await Eventually.ValueAsync(
            async () => PrometheusText.Parse(await owned.Gateway.Admin.GetStringAsync("/metrics")),
            samples => samples.Sum("gateway_config_reloads_total", ("result", "success")) == 1
                && samples.Sum("gateway_lane_retries_total") > 0 && samples.Sum("gateway_lane_escapes_total") == 20);
        return owned;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Parenthesised();

    [GeneratedRegex(@"^# TYPE (\S+) (\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();

    private sealed class Owned : IAsyncDisposable
    {
        private readonly List<IAsyncDisposable> _backends = [];

        public ConfigDirectory? Directory { get; set; }

        public TestGateway Gateway { get; set; } = null!;

        public async Task<T> Add<T>(Task<T> start)
            where T : IAsyncDisposable
        {
            var backend = await start;
            _backends.Add(backend);
            return backend;
        }

        public async ValueTask DisposeAsync()
        {
            if (Gateway is not null)
            {
                await Gateway.DisposeAsync();
            }

            foreach (var backend in _backends)
            {
                await backend.DisposeAsync();
            }

            Directory?.Dispose();
        }
    }
}
