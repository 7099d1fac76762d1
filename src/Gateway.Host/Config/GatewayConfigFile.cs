using System.Text.Json.Serialization;
using Gateway.Host.Admin;
using Gateway.Host.Diagnostics;
using Gateway.Host.Hosting;
using Gateway.Host.Lifecycle;
using Gateway.Host.Reload;
using Gateway.Routing.Config;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Host.Config;

/// <summary>
/// The top level of the config file: every section it may have. <c>ReverseProxy</c> and <c>Lanes</c> are read piece by
/// piece elsewhere; <c>Serilog</c> is Serilog's own, free-form; <c>Kestrel</c> is checked by binding it as Kestrel does.
/// </summary>
internal sealed class GatewayConfigFile
{
    /// <summary>Kestrel sections its endpoint loader reads itself (endpoint names are free).</summary>
    private static readonly string[] KestrelLoaderSections = ["Endpoints", "EndpointDefaults", "Certificates"];

    [JsonConverter(typeof(SkippedValue<object>))]
    public object? ReverseProxy { get; init; }

    [JsonConverter(typeof(SkippedValue<object>))]
    public object? Lanes { get; init; }

    /// <summary>Public listener addresses, as <c>--urls</c> takes them.</summary>
    public string? Urls { get; init; }

    public AdminOptions? Admin { get; init; }

    public TelemetrySettings? Telemetry { get; init; }

    public LifecycleOptions? Lifecycle { get; init; }

    public ConfigReloadOptions? ConfigReload { get; init; }

    public LoggingSettings? Logging { get; init; }

    [JsonConverter(typeof(SkippedValue<object>))]
    public object? Kestrel { get; init; }

    [JsonConverter(typeof(SkippedValue<object>))]
    public object? Serilog { get; init; }

    /// <summary>Checks the host settings' values.</summary>
    public void Validate(ConfigReader problems)
    {
        if (Urls is not null)
        {
            ListenAddress.ParseList(Urls, "urls", problems);
        }

        Admin?.Validate(nameof(Admin), problems);
        Telemetry?.Otlp?.Validate("Telemetry:Otlp", problems);
        Lifecycle?.Validate(nameof(Lifecycle), problems);
        ConfigReload?.Validate(nameof(ConfigReload), problems);
        Logging?.Validate(nameof(Logging), problems);
    }

    /// <summary>
    /// Binds each part of <c>Kestrel</c> (but its endpoint loader's sections) to Kestrel's options as Kestrel does,
    /// refusing keys they do not have: Kestrel's settings stay Kestrel's, and a typo such as <c>Limts</c> is caught.
    /// </summary>
    /// <param name="settings">The host sections as the configuration system sees them.</param>
    public static void ValidateKestrel(IReadOnlyDictionary<string, string?> settings, ConfigReader problems)
    {
        var parts = new Dictionary<string, Dictionary<string, string?>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings)
        {
            var segments = key.Split(ConfigurationPath.KeyDelimiter);
            if (segments.Length > 1 && string.Equals(segments[0], nameof(Kestrel), StringComparison.OrdinalIgnoreCase)
                && !KestrelLoaderSections.Contains(segments[1], StringComparer.OrdinalIgnoreCase))
            {
                (parts.TryGetValue(segments[1], out var part) ? part : parts[segments[1]] = new(StringComparer.OrdinalIgnoreCase))[key] = value;
            }
        }

        var known = typeof(KestrelServerOptions).GetProperties().Select(p => p.Name).Concat(KestrelLoaderSections).ToList();
        foreach (var (name, part) in parts)
        {
            var path = nameof(Kestrel) + ConfigurationPath.KeyDelimiter + name;
            if (!known.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                problems.Report(path, NearestNames.Suggest(known, name) is { } near ? "unknown setting; did you mean '" + near + "'?" : "unknown setting of Kestrel");
                continue;
            }

            try
            {
                new ConfigurationBuilder().AddInMemoryCollection(part).Build().GetSection(nameof(Kestrel))
                    .Bind(new KestrelServerOptions(), binder => binder.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException ex)
            {
                var message = (ex.InnerException ?? ex).Message;
                var unknown = message.IndexOf("the following properties were not found", StringComparison.Ordinal);
                problems.Report(path, unknown < 0 ? message : "unknown setting; " + message[unknown..]);
            }
        }
    }
}
