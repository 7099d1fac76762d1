using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Tests.Support;

/// <summary>
/// A self-signed server certificate for 127.0.0.1, made at test time (no key material in the repository), and the
/// files Kestrel reads it from: a password-protected PFX, or a PEM certificate and its PEM key.
/// </summary>
internal sealed class TestCertificate : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificate()
    {
        var request = new CertificateRequest("CN=127.0.0.1", _key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    public X509Certificate2 Certificate { get; }

    public string WritePfx(TempDirectory directory, string name, string password)
    {
        var path = Path.Combine(directory.Path, name);
        File.WriteAllBytes(path, Certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    /// <summary>Writes the certificate and its key as PEM files; returns their paths.</summary>
    public (string Certificate, string Key) WritePem(TempDirectory directory, string name) =>
        (directory.Write(name + ".crt.pem", Certificate.ExportCertificatePem()), directory.Write(name + ".key.pem", _key.ExportPkcs8PrivateKeyPem()));

    /// <summary>A client that trusts this certificate and no other.</summary>
    public HttpClient Client() => new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == Certificate.Thumbprint,
    });

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}
