using System.Text.Json;
using Gateway.Host.Admin;
using Gateway.Host.Diagnostics;
using Gateway.Host.Hosting;
using Gateway.Host.Lifecycle;
using Gateway.Host.Reload;
using Gateway.Routing.Config;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Host.Config;

/// <summary>
/// The top level of the config file: every section it may have, each read on its own. <c>ReverseProxy</c> and
/// <c>Lanes</c> are read entry by entry elsewhere; <c>Serilog</c> is Serilog's own, free-form; <c>Kestrel</c> is checked
/// by binding it as Kestrel does.
/// </summary>
internal sealed class GatewayConfigFile
{
    /// <summary>Kestrel sections its endpoint loader reads itself (endpoint names are free).</summary>
    private static readonly string[] KestrelLoaderSections = ["Endpoints", "EndpointDefaults", "Certificates"];

    public JsonElement ReverseProxy { get; set; }

    public JsonElement Lanes { get; set; }

    /// <summary>Public listener addresses, as <c>--urls</c> takes them.</summary>
    public string? Urls { get; set; }

    public AdminOptions? Admin { get; set; }

    public TelemetrySettings? Telemetry { get; set; }

    public LifecycleOptions? Lifecycle { get; set; }

    public ConfigReloadOptions? ConfigReload { get; set; }

    public LoggingSettings? Logging { get; set; }

    public JsonElement Kestrel { get; set; }

    public JsonElement Serilog { get; set; }

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
        var known = typeof(KestrelServerOptions).GetProperties().Select(p => p.Name).Concat(KestrelLoaderSections).ToList();
        foreach (var part in new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(nameof(Kestrel)).GetChildren())
        {
            if (KestrelLoaderSections.Contains(part.Key, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!known.Contains(part.Key, StringComparer.OrdinalIgnoreCase))
            {
                problems.Report(part.Path, NearestNames.Suggest(known, part.Key) is { } near ? "unknown setting; did you mean '" + near + "'?" : "unknown setting of Kestrel");
                continue;
            }

            try
            {
                new ConfigurationBuilder().AddInMemoryCollection(part.AsEnumerable()).Build().GetSection(nameof(Kestrel))
                    .Bind(new KestrelServerOptions(), binder => binder.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException ex)
            {
                var message = (ex.InnerException ?? ex).Message;
                var unknown = message.IndexOf("the following properties were not found", StringComparison.Ordinal);
                problems.Report(part.Path, unknown < 0 ? message : "unknown setting; " + message[unknown..]);
            }
        }
    }
}
