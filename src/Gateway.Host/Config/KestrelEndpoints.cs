using System.Security.Authentication;
using System.Text.Json;
using Gateway.Routing.Config;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Gateway.Host.Config;

/// <summary>
/// What Kestrel's endpoint loader reads of <c>Kestrel:EndpointDefaults</c> and <c>Kestrel:Endpoints</c>, checked here:
/// the loader drops a value it cannot parse without a word (<c>"Protocols": "Http9"</c>), and a missing or malformed
/// <c>Url</c> crashes the start after <c>validate</c> said the file was valid. Certificates stay Kestrel's, never shown.
/// </summary>
internal static class KestrelEndpoints
{
    public static void Validate(JsonElement kestrel, ConfigReader problems)
    {
        if (ConfigJson.Child(kestrel, "EndpointDefaults") is { ValueKind: not JsonValueKind.Undefined } defaults)
        {
            ConfigJson.Read<Defaults>(defaults, "Kestrel:EndpointDefaults", problems);
        }

        foreach (var (_, json, path) in ConfigJson.Entries(ConfigJson.Child(kestrel, "Endpoints"), "Kestrel:Endpoints", "names", problems))
        {
            if (ConfigJson.Read<Endpoint>(json, path, problems) is not { } endpoint)
            {
                continue;
            }

            if (Address(endpoint.Url) is not { } address)
            {
                problems.Report(path + ":Url", endpoint.Url is null ? "an endpoint needs a Url" : "'" + endpoint.Url + "' is not an address such as https://0.0.0.0:8443");
            }
            else if (!string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase) && (endpoint.Certificate.ValueKind != JsonValueKind.Undefined || endpoint.SslProtocols is not null || endpoint.ClientCertificateMode is not null || endpoint.Sni is { Count: > 0 }))
            {
                problems.Report(path, "Certificate, SslProtocols, ClientCertificateMode and Sni are for an https Url; this one is '" + endpoint.Url + "'");
            }
        }
    }

    private static BindingAddress? Address(string? url)
    {
        try
        {
            return url is null ? null : BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    internal class Defaults
    {
        public HttpProtocols? Protocols { get; init; }

        public SslProtocols? SslProtocols { get; init; }

        public ClientCertificateMode? ClientCertificateMode { get; init; }
    }

    /// <summary>One host of an endpoint's <c>Sni</c>; its certificate is read by Kestrel alone.</summary>
    internal class Host : Defaults
    {
        public JsonElement Certificate { get; init; }
    }

    internal sealed class Endpoint : Host
    {
        public string? Url { get; init; }

        public Dictionary<string, Host>? Sni { get; init; }
    }
}
