namespace Gateway.Routing.Config;

/// <summary>
/// A configuration section that can show the JSON text it was read from (the gateway's own config reader does), so a
/// reload can tell which lane groups did not change.
/// </summary>
public interface IJsonSection
{
    ReadOnlySpan<byte> Json { get; }
}
