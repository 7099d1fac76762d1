using System.Text.Json;

namespace Gateway.Host.Demo;

/// <summary>What an <see cref="EchoBackend"/> answers: its service, lane and instance, and the lane tag it received.</summary>
internal sealed record EchoReply(string Service, string Lane, string Instance, string? ReceivedTag, string Path)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
