using System.Text.Json.Nodes;

namespace Gateway.Tests.Support;

/// <summary>Lane and condition entries for <see cref="GatewayConfigBuilder.Group"/>.</summary>
internal static class LaneSpec
{
    public static JsonObject Match(string name, string tag, JsonObject match, string? fallback = null)
    {
        var lane = new JsonObject { ["Name"] = name, ["Tag"] = tag, ["Match"] = match.DeepClone() };
        if (fallback is not null)
        {
            lane["Fallback"] = fallback;
        }

        return lane;
    }

    public static JsonObject Percentage(string name, string tag, double percentage, string stickyKey = "header:x-user-id", JsonObject? match = null, string? fallback = null)
    {
        var lane = new JsonObject { ["Name"] = name, ["Tag"] = tag, ["Percentage"] = percentage, ["StickyKey"] = stickyKey };
        if (match is not null)
        {
            lane["Match"] = match.DeepClone();
        }

        if (fallback is not null)
        {
            lane["Fallback"] = fallback;
        }

        return lane;
    }

    /// <summary>A Match with one header condition.</summary>
    public static JsonObject Header(string name, string mode, params string[] values) => new() { ["Headers"] = new JsonArray(Condition(name, mode, values)) };

    public static JsonObject Condition(string name, string mode, string[] values, bool ignoreCase = false) => new()
    {
        ["Name"] = name,
        ["Mode"] = mode,
        ["Values"] = Strings(values),
        ["IgnoreCase"] = ignoreCase,
    };

    public static JsonArray Strings(params string[] values) => new([.. values.Select(v => (JsonNode)v)]);

    /// <summary>Cluster settings for a fast active health check: probe every 200 ms, unhealthy after one failure.</summary>
    public static JsonObject ActiveHealthCheck() => new()
    {
        ["HealthCheck"] = new JsonObject
        {
            ["Active"] = new JsonObject
            {
                ["Enabled"] = true, ["Interval"] = "00:00:00.200", ["Timeout"] = "00:00:01", ["Policy"] = "ConsecutiveFailures", ["Path"] = "/healthz",
            },
        },
        ["Metadata"] = new JsonObject { ["ConsecutiveFailuresHealthPolicy.Threshold"] = "1" },
    };
}
