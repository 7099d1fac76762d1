using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Host.Demo;

/// <summary>
/// What a <see cref="ChainService"/> answers: who it is, the lane tag it received, and the same for each service it
/// called. A call that failed has only <see cref="Service"/>, <see cref="Status"/> and <see cref="Error"/>.
/// </summary>
internal sealed record ChainReply(string Service, string? Lane, string? Instance, string? ReceivedTag, string? Path, IReadOnlyList<ChainReply>? Calls)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Status { get; init; }

    public string? Error { get; init; }
}
