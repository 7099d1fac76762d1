namespace Gateway.Routing.Config;

/// <summary>
/// A configuration section that can show the JSON text it was read from (the gateway's own config reader does), so a
/// reload can tell which lane groups did not change, and can say where it is the way problems are reported.
/// </summary>
public interface IJsonSection
{
    ReadOnlySpan<byte> Json { get; }

    /// <summary>The section's path with array items as <c>Lanes[2]</c> rather than <c>Lanes:2</c>.</summary>
    string ProblemPath { get; }

    /// <summary>The child with this key, or null when there is none (where <c>GetSection</c> makes an empty section).</summary>
    Microsoft.Extensions.Configuration.IConfigurationSection? Child(string key);
}
