using System.Text.Json;

namespace Gateway.Host.Config;

/// <summary>A value a config converter refuses, with a message fit to show next to its path.</summary>
internal sealed class ConfigValueException(string message) : JsonException(message);
