using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Routing.Config;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Host.Hosting;

/// <summary>
/// Which of Kestrel's own endpoint settings (<c>Kestrel:Endpoints</c>, <c>Kestrel:Certificates</c>) failed the start,
/// and what to do about it. Kestrel's exception names neither the endpoint nor the setting ("ASN1 corrupted data", a
/// file not found), so Kestrel's loader is run again on each part alone and the part it fails on is the one named:
/// the rules stay Kestrel's. A password or a key is never quoted: no message of the certificate loaders carries one.
/// </summary>
internal static class KestrelEndpointFailure
{
    private const string Section = "Kestrel";

    private const string Endpoints = "Endpoints:";

    private const string DefaultCertificate = "Certificates:Default";

    public static string? Describe(Exception exception, IServiceProvider services) =>
        RaisedInKestrel(exception) ? Check(services.GetRequiredService<IConfiguration>(), services) : null;

    /// <summary>Why Kestrel's loader refuses the <c>Kestrel</c> section of <paramref name="configuration"/>, in one line naming the setting; null when it loads.</summary>
    public static string? Check(IConfiguration configuration, IServiceProvider services)
    {
        var kestrel = configuration.GetSection(Section);
        var settings = kestrel.AsEnumerable(makePathsRelative: true).Where(setting => setting.Value is not null).ToList();
        var certificates = settings.Where(setting => !setting.Key.StartsWith(Endpoints, StringComparison.OrdinalIgnoreCase)).ToList();
        if (Failure(services, certificates, endpoint: null, lacksCertificate: false) is { } reason)
        {
            return Line(DefaultCertificate, reason);
        }

        var hasDefault = kestrel.GetSection(DefaultCertificate).Exists();
        foreach (var endpoint in kestrel.GetSection(Endpoints.TrimEnd(':')).GetChildren())
        {
            var lacksCertificate = endpoint["Url"]?.StartsWith("https:", StringComparison.OrdinalIgnoreCase) == true && !hasDefault
                && !endpoint.GetSection("Certificate").Exists() && !endpoint.GetSection("Sni").Exists();
            var own = Endpoints + endpoint.Key + ":";
            var part = certificates.Concat(settings.Where(setting => setting.Key.StartsWith(own, StringComparison.OrdinalIgnoreCase)));
            if (Failure(services, part, endpoint.Key, lacksCertificate) is { } failure)
            {
                return Line(Endpoints + endpoint.Key, failure);
            }
        }

        return null;
    }

    /// <summary>The address of each of Kestrel's own endpoints and its setting, for a bind failure that may be theirs.</summary>
    public static IEnumerable<string> Addresses(IServiceProvider services) =>
        from endpoint in services.GetRequiredService<IConfiguration>().GetSection(Section + ":" + Endpoints.TrimEnd(':')).GetChildren()
        where endpoint["Url"] is not null
        select UrlCredentials.Redact(endpoint["Url"]!) + " (" + Section + ":" + Endpoints + endpoint.Key + ")";

    /// <summary>Runs Kestrel's loader on the certificates and at most one endpoint; why it fails, or null.</summary>
    private static string? Failure(IServiceProvider services, IEnumerable<KeyValuePair<string, string?>> part, string? endpoint, bool lacksCertificate)
    {
        var loader = new KestrelServerOptions { ApplicationServices = services }.Configure(new ConfigurationBuilder().AddInMemoryCollection(part).Build());
        var keyless = false;
        if (endpoint is not null)
        {
            // A certificate without its private key loads; only binding the endpoint fails, which a probe does not do.
            loader.Endpoint(endpoint, configured => keyless = configured.HttpsOptions.ServerCertificate is X509Certificate2 { HasPrivateKey: false });
        }

        try
        {
            loader.Load();
        }
        catch (Exception ex)
        {
            return ex switch
            {
                InvalidOperationException when lacksCertificate => "an https endpoint needs a certificate, and this machine has no usable"
                    + " ASP.NET Core development certificate: add Certificate:Path (and Certificate:KeyPath for a PEM key) to it,"
                    + " or Kestrel:Certificates:Default for every https endpoint",
                FileNotFoundException { FileName: { } file } => "the file '" + file + "' does not exist",
                CryptographicException => "the certificate cannot be read (" + FirstLine(ex.Message)
                    + "): check that its Path is a PFX or PEM certificate file, KeyPath its PEM key, and Password the password of the PFX or the encrypted key",
                _ => FirstLine(ex.Message),
            };
        }

        return keyless
            ? "its certificate has no private key: set the certificate's KeyPath to its PEM key file, or use a PFX file that holds the key"
            : null;
    }

    private static string Line(string path, string reason) => "Failed to set up " + Section + ":" + path + ": " + UrlCredentials.Redact(reason) + ".";

    private static string FirstLine(string message)
    {
        var end = message.AsSpan().IndexOfAny('\r', '\n');
        return (end < 0 ? message : message[..end]).TrimEnd().TrimEnd('.');
    }

    /// <summary>Whether the exception passed through Kestrel: a hosted service that fails to start is not a listener failure.</summary>
    private static bool RaisedInKestrel(Exception exception)
    {
        var kestrel = typeof(KestrelServerOptions).Assembly;
        foreach (var frame in new StackTrace(exception).GetFrames())
        {
            if (frame.GetMethod()?.DeclaringType?.Assembly == kestrel)
            {
                return true;
            }
        }

        return false;
    }
}
