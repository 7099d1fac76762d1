using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Gateway.Tests.Support;

/// <summary>The PromQL shipped in deploy/: the Grafana dashboard's queries and the alert rules' expressions.</summary>
internal static partial class DeployQueries
{
    public static string DashboardFile => Path.Combine(RepositoryRoot.Path, "deploy", "grafana", "lanes-dashboard.json");

    public static string AlertsFile => Path.Combine(RepositoryRoot.Path, "deploy", "prometheus", "alerts.yml");

    /// <summary>Every panel target's expression and every variable's query, with Grafana's variables filled in.</summary>
    public static List<(string Title, string Expr)> Dashboard(string rateInterval)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(DashboardFile));
        var queries = new List<(string, string)>();
        Panels(document.RootElement.GetProperty("panels"), queries);
        foreach (var variable in document.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.GetProperty("type").GetString() == "query")
            {
                var query = variable.GetProperty("query");
                var text = query.ValueKind == JsonValueKind.Object ? query.GetProperty("query").GetString()! : query.GetString()!;
                queries.Add(("variable " + variable.GetProperty("name").GetString(), LabelValues().Replace(text, "$1")));
            }
        }

        return [.. queries.Select(q => (q.Item1, q.Item2.Replace("$__rate_interval", rateInterval, StringComparison.Ordinal)
            .Replace("$route", ".*", StringComparison.Ordinal).Replace("$lane", ".*", StringComparison.Ordinal)))];
    }

    /// <summary>Each alert rule's name and expression.</summary>
    public static List<(string Alert, string Expr)> Alerts()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(AlertsFile)));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var alerts = new List<(string, string)>();
        foreach (YamlMappingNode group in (YamlSequenceNode)root["groups"])
        {
            foreach (YamlMappingNode rule in (YamlSequenceNode)group["rules"])
            {
                if (rule.Children.ContainsKey("alert"))
                {
                    alerts.Add((rule["alert"].ToString(), rule["expr"].ToString()));
                }
            }
        }

        return alerts;
    }

    private static void Panels(JsonElement panels, List<(string, string)> queries)
    {
        foreach (var panel in panels.EnumerateArray())
        {
            if (panel.TryGetProperty("panels", out var nested))
            {
                Panels(nested, queries);
            }

            if (panel.TryGetProperty("targets", out var targets))
            {
                foreach (var target in targets.EnumerateArray())
                {
                    if (target.TryGetProperty("expr", out var expr))
                    {
                        queries.Add((panel.GetProperty("title").GetString()!, expr.GetString()!));
                    }
                }
            }
        }
    }

    [GeneratedRegex(@"^label_values\((.*),\s*[a-zA-Z_]+\)$", RegexOptions.Singleline)]
    private static partial Regex LabelValues();
}
