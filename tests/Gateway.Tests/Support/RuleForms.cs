using System.Text.Json.Nodes;

namespace Gateway.Tests.Support;

/// <summary>Match entries of the negated, path and method conditions, for <see cref="LaneSpec"/> lanes.</summary>
internal static class RuleForms
{
    /// <summary>A Match with one condition under <paramref name="list"/> (Headers, Cookies or Query), negated.</summary>
    public static JsonObject Not(string list, string name, string mode, params string[] values)
    {
        var condition = LaneSpec.Condition(name, mode, values);
        condition["Not"] = true;
        return new JsonObject { [list] = new JsonArray(condition) };
    }

    public static JsonObject Path(string mode, params string[] values) =>
        new() { ["Path"] = new JsonObject { ["Mode"] = mode, ["Values"] = LaneSpec.Strings(values) } };

    public static JsonObject Methods(params string[] methods) => new() { ["Methods"] = LaneSpec.Strings(methods) };

    /// <summary>A percentage lane keyed by cookie <paramref name="cookie"/> that issues it to visitors without one.</summary>
    public static JsonObject IssuingCookie(string name, string tag, double percentage, string cookie = "sid", double? maxAgeDays = null)
    {
        var lane = LaneSpec.Percentage(name, tag, percentage, "cookie:" + cookie);
        lane["IssueCookie"] = true;
        if (maxAgeDays is not null)
        {
            lane["IssueCookieMaxAgeDays"] = maxAgeDays;
        }

        return lane;
    }
}
