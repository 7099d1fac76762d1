using System.Text.Json.Nodes;
using Gateway.Host.Config;
using Gateway.Routing.Config;

namespace Gateway.Tests.Support;

/// <summary>Builds gateway configs for tests (instead of JSON pasted into each test).</summary>
internal sealed class GatewayConfigBuilder
{
    private readonly JsonObject _root = new()
    {
        ["ReverseProxy"] = new JsonObject { ["Routes"] = new JsonObject(), ["Clusters"] = new JsonObject() },
        ["Lanes"] = new JsonObject { ["Groups"] = new JsonObject() },
    };

    public JsonObject Root => _root;

    /// <summary>A route <paramref name="id"/> matching <c>/{id}/{**rest}</c> to a cluster of the same name by default.</summary>
    public GatewayConfigBuilder Route(string id, string? path = null, string? cluster = null)
    {
        Node("ReverseProxy", "Routes")[id] = new JsonObject
        {
            ["ClusterId"] = cluster ?? id,
            ["Match"] = new JsonObject { ["Path"] = path ?? "/" + id + "/{**rest}" },
        };
        Cluster(cluster ?? id);
        return this;
    }

    public GatewayConfigBuilder Destination(string cluster, string id, string address, string? lane = null)
    {
        var destination = new JsonObject { ["Address"] = address };
        if (lane is not null)
        {
            destination["Metadata"] = new JsonObject { ["lane"] = lane };
        }

        Node("ReverseProxy", "Clusters", cluster, "Destinations")[id] = destination;
        return this;
    }

    public GatewayConfigBuilder Destination(string cluster, Gateway.Host.Demo.EchoBackend backend) =>
        Destination(cluster, backend.Instance, backend.Url, backend.Lane == "base" ? null : backend.Lane);

    public GatewayConfigBuilder Cluster(string id, JsonObject? settings = null)
    {
        var cluster = Node("ReverseProxy", "Clusters", id);
        foreach (var (key, value) in settings ?? [])
        {
            cluster[key] = value?.DeepClone();
        }

        return this;
    }

    public GatewayConfigBuilder Group(string name, string[] routes, params JsonObject[] lanes)
    {
        Node("Lanes", "Groups")[name] = new JsonObject
        {
            ["Routes"] = new JsonArray([.. routes.Select(r => (JsonNode)r)]),
            ["Lanes"] = new JsonArray([.. lanes.Select(l => l.DeepClone())]),
        };
        return this;
    }

    /// <summary>Sets any value by its config path, e.g. <c>Set("Lanes:IncomingTag:Trust", "All")</c>.</summary>
    public GatewayConfigBuilder Set(string path, JsonNode? value)
    {
        var parts = path.Split(':');
        Node(parts[..^1])[parts[^1]] = value;
        return this;
    }

    public string ToJson() => _root.ToJsonString();

    public List<ConfigProblem> Problems(string? baseDirectory = null)
    {
        var problems = new List<ConfigProblem>();
        Compile(problems, baseDirectory);
        return problems;
    }

    public GatewaySnapshot BuildSnapshot(string? baseDirectory = null)
    {
        var problems = new List<ConfigProblem>();
        return Compile(problems, baseDirectory) ?? throw new InvalidOperationException("invalid test config: " + string.Join("; ", problems));
    }

    private GatewaySnapshot? Compile(List<ConfigProblem> problems, string? baseDirectory)
    {
        var source = GatewayConfigSource.FromJson(ToJson(), baseDirectory);
        var configuration = GatewayConfigLoader.Load(source, problems);
        return configuration is null ? null : GatewayConfigLoader.Compile(configuration, source.BaseDirectory, problems);
    }

    private JsonObject Node(params string[] path)
    {
        var node = _root;
        foreach (var part in path)
        {
            if (node[part] is not JsonObject child)
            {
                node[part] = child = new JsonObject();
            }

            node = child;
        }

        return node;
    }
}
