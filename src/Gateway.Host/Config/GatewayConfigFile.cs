using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
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
/// against Kestrel's own options.
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

    public OverloadOptions? Overload { get; set; }

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
        Telemetry?.Validate(nameof(Telemetry), problems);
        Lifecycle?.Validate(nameof(Lifecycle), problems);
        ConfigReload?.Validate(nameof(ConfigReload), problems);
        Overload?.Validate(nameof(Overload), problems);
        Logging?.Validate(nameof(Logging), problems);
        ValidateKestrel(Kestrel, typeof(KestrelServerOptions), nameof(Kestrel), problems);
        KestrelEndpoints.Validate(Kestrel, problems);
    }

    /// <summary>
    /// Walks <c>Kestrel</c> (but its endpoint loader's sections) against the members of Kestrel's options the configuration
    /// binder can set, binding each value on its own as Kestrel does: the binder stops at a part's first problem and
    /// names neither the key nor what it expected, so every unknown key and refused value is said here at its own path.
    /// </summary>
    private static void ValidateKestrel(JsonElement element, Type type, string path, ConfigReader problems)
    {
        var scalar = TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));
        if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return;
        }

        if (!scalar && element.ValueKind == JsonValueKind.Object)
        {
            // Settable: a value the binder converts from text, or an object it fills in place (Limits); nothing else takes effect.
            var members = type.GetProperties().Where(p => p.CanWrite == TypeDescriptor.GetConverter(p.PropertyType).CanConvertFrom(typeof(string))).ToList();
            foreach (var property in element.EnumerateObject())
            {
                if (members.Find(p => p.Name.Equals(property.Name, StringComparison.OrdinalIgnoreCase)) is { } member)
                {
                    ValidateKestrel(property.Value, member.PropertyType, ConfigReader.Child(path, property.Name), problems);
                }
                else if (type != typeof(KestrelServerOptions) || !KestrelLoaderSections.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
                {
                    problems.Report(ConfigReader.Child(path, property.Name), () => ConfigJson.Unknown([.. members.Select(p => p.Name), .. type == typeof(KestrelServerOptions) ? KestrelLoaderSections : []], property.Name));
                }
            }
        }
        else if (!scalar || element.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            problems.Report(path, ConfigJson.Mismatch(element, type, scalar ? JsonTypeInfoKind.None : JsonTypeInfoKind.Object));
        }
        else
        {
            try
            {
                new ConfigurationBuilder().AddInMemoryCollection([new(path, element.ToString())]).Build().GetSection(nameof(Kestrel)).Bind(new KestrelServerOptions());
            }
            catch (TargetInvocationException ex) when (ex.InnerException is ArgumentException refused)
            {
                problems.Report(path, "'" + element + "' is out of range: " + refused.Message.Split(" (Parameter")[0]);
            }
            catch (InvalidOperationException)
            {
                problems.Report(path, ConfigJson.Mismatch(element, type, JsonTypeInfoKind.None));
            }
        }
    }
}
