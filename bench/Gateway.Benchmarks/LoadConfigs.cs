using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Benchmarks;

/// <summary>
/// The gateway configs of <c>bench/load.sh</c>, built once for the script (the <c>config</c> command), the in-memory
/// reload measurements (<c>grow-memory</c>, <c>grow-reload</c>) and the test suite, which links this file.
/// <c>lanes</c>: route <c>all</c> to cluster <c>svc</c> (a baseline and a gray destination) with a group of two lanes,
/// testers (x-user-id 1001 and 1002) and a sticky 10 % canary; <c>nolanes</c>: the same without the group.
/// <c>big</c>: <c>lanes</c> plus N routes <c>/rI/</c> to clusters <c>cI</c> (the gray backend as their only, baseline,
/// destination), each with the same two-lane group; <c>big-edit</c> also puts user 1000 among the testers of route
/// <c>all</c> (what load.sh's edit probe looks for); <c>big-add</c> does that and adds route <c>added</c>, <c>/added/</c> to
/// <c>c0</c>, whose responses carry <c>x-added: yes</c> (what its add probe looks for).
/// </summary>
internal static class LoadConfigs
{
    public const string Names = "lanes, nolanes, big, big-edit, big-add";
    public const string UserHeader = "x-user-id";

    /// <summary>The edit probe's user: a baseline user (outside the canary's 10 %) until <c>big-edit</c> makes it a tester.</summary>
    public const string EditedUser = "1000";

    /// <summary>Routes, clusters and groups sit at this depth; each is written on one line.</summary>
    private const int EntryDepth = 3;

    /// <summary>The named config, or null for a name not in <see cref="Names"/>.</summary>
    public static JsonObject? Named(string name, int basePort, int grayPort, int routes) => name switch
    {
        "lanes" => Small(basePort, grayPort, withLanes: true),
        "nolanes" => Small(basePort, grayPort, withLanes: false),
        "big" => Big(basePort, grayPort, routes, editedLane: false, addedRoute: false),
        "big-edit" => Big(basePort, grayPort, routes, editedLane: true, addedRoute: false),
        "big-add" => Big(basePort, grayPort, routes, editedLane: true, addedRoute: true),
        _ => null,
    };

    public static JsonObject Small(int basePort, int grayPort, bool withLanes)
    {
        var config = new JsonObject
        {
            ["ReverseProxy"] = new JsonObject
            {
                ["Routes"] = new JsonObject { ["all"] = Route("svc", "/{**catch-all}") },
                ["Clusters"] = new JsonObject { ["svc"] = BaseAndGray(basePort, grayPort) },
            },
        };
        if (withLanes)
        {
            config["Lanes"] = new JsonObject { ["Groups"] = new JsonObject { ["svc"] = Group("all", TestersAndCanary(withEditedUser: false)) } };
        }

        return config;
    }

    public static JsonObject Big(int basePort, int grayPort, int routes, bool editedLane, bool addedRoute)
    {
        var routeNodes = new JsonObject { ["all"] = Route("svc", "/{**catch-all}") };
        var clusterNodes = new JsonObject { ["svc"] = BaseAndGray(basePort, grayPort) };
        var groupNodes = new JsonObject { ["svc"] = Group("all", TestersAndCanary(editedLane)) };
        for (var i = 0; i < routes; i++)
        {
            var index = i.ToString(CultureInfo.InvariantCulture);
            routeNodes["r" + index] = Route("c" + index, "/r" + index + "/{**rest}");
            clusterNodes["c" + index] = new JsonObject
            {
                ["Destinations"] = new JsonObject { ["c" + index + "-1"] = Destination(grayPort, lane: null) },
            };
            groupNodes["g" + index] = Group("r" + index, TestersAndCanary(withEditedUser: false));
        }

        if (addedRoute)
        {
            var added = Route("c0", "/added/{**rest}");
            added["Transforms"] = new JsonArray(new JsonObject { ["ResponseHeader"] = "x-added", ["Set"] = "yes" });
            routeNodes["added"] = added;
        }

        return new JsonObject
        {
            ["ReverseProxy"] = new JsonObject { ["Routes"] = routeNodes, ["Clusters"] = clusterNodes },
            ["Lanes"] = new JsonObject { ["Groups"] = groupNodes },
        };
    }

    /// <summary>The lanes of every group: testers 1001 and 1002 (and <see cref="EditedUser"/> when asked) by header, then a sticky 10 % canary.</summary>
    public static JsonArray TestersAndCanary(bool withEditedUser)
    {
        var testers = withEditedUser ? new JsonArray(EditedUser, "1001", "1002") : new JsonArray("1001", "1002");
        return new JsonArray(
            new JsonObject
            {
                ["Name"] = "testers",
                ["Tag"] = "gray",
                ["Match"] = new JsonObject
                {
                    ["Headers"] = new JsonArray(new JsonObject { ["Name"] = UserHeader, ["Mode"] = "Exact", ["Values"] = testers }),
                },
            },
            new JsonObject { ["Name"] = "canary", ["Tag"] = "gray", ["Percentage"] = 10, ["StickyKey"] = "header:" + UserHeader });
    }

    /// <summary>
    /// The config as UTF-8 JSON, each route, cluster and group on one line: a fully indented 10,000-route config would be
    /// twice the size of the one load.sh's reload figures were measured with, a single line would hide its structure.
    /// </summary>
    public static byte[] ToUtf8(JsonObject config)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            Write(writer, config, depth: 0);
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node, int depth)
    {
        if (node is JsonObject section && depth < EntryDepth)
        {
            writer.WriteStartObject();
            foreach (var (name, value) in section)
            {
                writer.WritePropertyName(name);
                Write(writer, value, depth + 1);
            }

            writer.WriteEndObject();
            return;
        }

        writer.WriteRawValue(node?.ToJsonString() ?? "null", skipInputValidation: true);
    }

    private static JsonObject Route(string cluster, string path) => new()
    {
        ["ClusterId"] = cluster,
        ["Match"] = new JsonObject { ["Path"] = path },
    };

    private static JsonObject BaseAndGray(int basePort, int grayPort) => new()
    {
        ["Destinations"] = new JsonObject { ["svc-base-1"] = Destination(basePort, lane: null), ["svc-gray-1"] = Destination(grayPort, "gray") },
    };

    private static JsonObject Destination(int port, string? lane)
    {
        var destination = new JsonObject { ["Address"] = "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) + "/" };
        if (lane is not null)
        {
            destination["Metadata"] = new JsonObject { ["lane"] = lane };
        }

        return destination;
    }

    private static JsonObject Group(string route, JsonArray lanes) => new() { ["Routes"] = new JsonArray(route), ["Lanes"] = lanes };
}
