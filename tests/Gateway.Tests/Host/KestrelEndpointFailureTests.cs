using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Host;

/// <summary>
/// Kestrel's own endpoints (<c>Kestrel:Endpoints</c>, <c>Kestrel:Certificates</c>) whose set-up fails at start: one line
/// on stderr naming the setting and what to do, exit code 3, no stack trace, never a password; run as a real process.
/// </summary>
public sealed partial class KestrelEndpointFailureTests : IDisposable
{
    private const string Password = "hunter2-pfx";

    private readonly TempDirectory _directory = new();
    private readonly TestCertificate _certificate = new();

    /// <summary>
    /// An empty home directory: Kestrel looks for ASP.NET Core's development certificate in the user's certificate
    /// store under it, so the gateway runs as on a server or in a container, whatever the machine running the tests has.
    /// (A fresh home also makes data protection warn on stdout at every start, so stdout is not asserted empty.)
    /// </summary>
    private Dictionary<string, string> WithoutDevelopmentCertificate => new() { ["HOME"] = _directory.Path };

    [Theory]
    [InlineData("no certificate", "Kestrel:Endpoints:web: an https endpoint needs a certificate, and this machine has no usable ASP.NET Core"
        + " development certificate: add Certificate:Path (and Certificate:KeyPath for a PEM key) to it, or Kestrel:Certificates:Default for every https endpoint.")]
    [InlineData("missing file", "Kestrel:Endpoints:web: the file '{dir}/missing.pfx' does not exist.")]
    [InlineData("missing default", "Kestrel:Certificates:Default: the file '{dir}/missing.pfx' does not exist.")]
    [InlineData("PEM that is not a certificate", "Kestrel:Endpoints:web: the certificate cannot be read (")]
    [InlineData("PFX that is not a certificate", "Kestrel:Endpoints:web: the certificate cannot be read (")]
    [InlineData("wrong password", "Kestrel:Endpoints:web: the certificate cannot be read (")]
    [InlineData("PEM without its key",
        "Kestrel:Endpoints:web: its certificate has no private key: set the certificate's KeyPath to its PEM key file, or use a PFX file that holds the key.")]
    [InlineData("second endpoint", "Kestrel:Endpoints:b: the file '{dir}/missing.pfx' does not exist.")]
    [InlineData("localhost port 0", "Kestrel:Endpoints:web: Dynamic port binding is not supported when binding to localhost.")]
    public async Task Run_EndpointThatCannotBeSetUp_ExitsThreeWithOneLineNamingIt(string scenario, string expected)
    {
        var file = _directory.Write("gateway.json", RuleHarness.Config(Percentage("canary", "gray", 30)).Set("Kestrel", Kestrel(scenario)));

        var (exitCode, stdout, stderr) = await GatewayProcess.RunToExitAsync(WithoutDevelopmentCertificate,
            "--config", file, "--urls", "http://127.0.0.1:0", "--Admin:Urls", "http://127.0.0.1:0");

        exitCode.Should().Be(3, stderr);
        stderr.Should().StartWith("Lanes Gateway cannot start: Failed to set up " + expected.Replace("{dir}", _directory.Path));
        stderr.TrimEnd().Should().NotContain("\n").And.EndWith(".");
        stdout.Should().NotContain("Exception").And.NotContain("listening");
        (stdout + stderr).Should().NotContain("hunter2").And.NotContain("the-right-one").And.NotContain("PRIVATE KEY");
        if (expected.EndsWith('('))
        {
            stderr.Should().Contain("check that its Path is a PFX or PEM certificate file, KeyPath its PEM key, and Password the password of the PFX or the encrypted key.");
        }
    }

    /// <summary>An endpoint added by the command line (or the environment) is named as well: the effective settings are read.</summary>
    [Fact]
    public async Task Run_HttpsEndpointFromTheCommandLineWithoutCertificate_ExitsThreeNamingIt()
    {
        var file = _directory.Write("gateway.json", RuleHarness.Config(Percentage("canary", "gray", 30)));

        var (exitCode, stdout, stderr) = await GatewayProcess.RunToExitAsync(WithoutDevelopmentCertificate,
            "--config", file, "--urls", "http://127.0.0.1:0", "--Admin:Urls", "http://127.0.0.1:0", "--Kestrel:Endpoints:cli:Url", "https://127.0.0.1:0");

        exitCode.Should().Be(3, stderr);
        stderr.TrimEnd().Should().StartWith("Lanes Gateway cannot start: Failed to set up Kestrel:Endpoints:cli: an https endpoint needs a certificate").And.NotContain("\n");
        stdout.Should().NotContain("Exception").And.NotContain("listening");
    }

    /// <summary>A bind failure lists Kestrel's own endpoints with the gateway's listeners: the one at fault may be theirs.</summary>
    [Fact]
    public async Task Run_KestrelEndpointAddressNotOnThisMachine_ExitsThreeListingIt()
    {
        var file = _directory.Write("gateway.json", RuleHarness.Config(Percentage("canary", "gray", 30)));

        // 192.0.2.1 is a documentation address (TEST-NET-1): no interface here has it, so binding it fails at once.
        var (exitCode, stdout, stderr) = await GatewayProcess.RunToExitAsync(WithoutDevelopmentCertificate,
            "--config", file, "--urls", "http://127.0.0.1:0", "--Admin:Urls", "http://127.0.0.1:0", "--Kestrel:Endpoints:web:Url", "http://192.0.2.1:8443");

        exitCode.Should().Be(3, stderr);
        stderr.TrimEnd().Should().StartWith("Lanes Gateway cannot start: Failed to bind to one of http://127.0.0.1:")
            .And.EndWith(", http://192.0.2.1:8443 (Kestrel:Endpoints:web): Cannot assign requested address.").And.NotContain("\n");
        stdout.Should().NotContain("Exception").And.NotContain("listening");
    }

    /// <summary>The gateway's own listeners take no TLS: a https address there is a config problem (exit 2), not a start failure.</summary>
    [Theory]
    [InlineData("--urls", "urls")]
    [InlineData("--Admin:Urls", "Admin:Urls")]
    public async Task Run_HttpsAddressForTheGatewaysOwnListener_ExitsTwoSayingItListensOnPlainHttp(string option, string path)
    {
        var file = _directory.Write("gateway.json", RuleHarness.Config(Percentage("canary", "gray", 30)));
        string[] args = ["--config", file, "--urls", "http://127.0.0.1:0", "--Admin:Urls", "http://127.0.0.1:0"];
        args[Array.IndexOf(args, option) + 1] = "https://127.0.0.1:0";

        var (exitCode, stdout, stderr) = await GatewayProcess.RunToExitAsync(WithoutDevelopmentCertificate, args);

        exitCode.Should().Be(2, stderr);
        stderr.Should().Contain("  " + path + ": 'https://127.0.0.1:0': the gateway listens on plain HTTP; terminate TLS at the load balancer or ingress in front of it");
        stdout.Should().NotContain("Exception").And.NotContain("listening");
    }

    /// <summary>A working certificate keeps working: the https endpoint answers a real TLS request, proxied to a backend.</summary>
    [Theory]
    [InlineData("pfx")]
    [InlineData("pem")]
    public async Task Run_HttpsEndpointWithCertificate_ServesProxiedRequestsOverTls(string form)
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        JsonObject certificate;
        if (form == "pfx")
        {
            certificate = new JsonObject { ["Path"] = _certificate.WritePfx(_directory, "gateway.pfx", Password), ["Password"] = Password };
        }
        else
        {
            var (crt, key) = _certificate.WritePem(_directory, "gateway");
            certificate = new JsonObject { ["Path"] = crt, ["KeyPath"] = key };
        }

        var config = orders.AddTo(new GatewayConfigBuilder()).Group("trade", ["orders"], Percentage("canary", "gray", 30))
            .Set("Kestrel", new JsonObject { ["Endpoints"] = new JsonObject { ["web"] = new JsonObject { ["Url"] = "https://127.0.0.1:0", ["Certificate"] = certificate } } });
        await using var gateway = await GatewayProcess.StartAsync(WithoutDevelopmentCertificate, "--config", _directory.Write("gateway.json", config));
        var https = new Uri(HttpsListening().Match(gateway.Output).Groups[1].Value);
        using var client = _certificate.Client();
        client.BaseAddress = https;

        var reply = await client.GetEchoAsync("/orders/1");

        reply.Instance.Should().Be("orders-base-1");
        gateway.Output.Should().NotContain("hunter2");
        gateway.Output.Should().MatchRegex(@"Lanes Gateway listening on http://\S+ admin http://\S+ and on https://127\.0\.0\.1:0 \(Kestrel:Endpoints:web\)",
            "the line operators read names every listener that serves, Kestrel's own endpoints included");
    }

    private JsonObject Kestrel(string scenario)
    {
        var missing = Path.Combine(_directory.Path, "missing.pfx");
        var (crt, key) = _certificate.WritePem(_directory, "good");
        var junk = _directory.Write("junk.pem", "not a certificate\n");
        var junkPfx = Path.Combine(_directory.Path, "junk.pfx");
        File.WriteAllBytes(junkPfx, [.. Enumerable.Range(0, 512).Select(i => (byte)(i * 37))]);
        var pfx = _certificate.WritePfx(_directory, "good.pfx", "the-right-one");
        JsonObject Endpoint(JsonObject? certificate) => certificate is null
            ? new JsonObject { ["Url"] = "https://127.0.0.1:0" }
            : new JsonObject { ["Url"] = "https://127.0.0.1:0", ["Certificate"] = certificate };
        JsonObject Web(JsonObject? certificate) => new() { ["Endpoints"] = new JsonObject { ["web"] = Endpoint(certificate) } };
        return scenario switch
        {
            "no certificate" => Web(null),
            "missing file" => Web(new JsonObject { ["Path"] = missing, ["Password"] = Password }),
            "missing default" => new JsonObject
            {
                ["Certificates"] = new JsonObject { ["Default"] = new JsonObject { ["Path"] = missing, ["Password"] = Password } },
                ["Endpoints"] = new JsonObject { ["web"] = Endpoint(null) },
            },
            "PEM that is not a certificate" => Web(new JsonObject { ["Path"] = junk, ["KeyPath"] = junk }),
            "PFX that is not a certificate" => Web(new JsonObject { ["Path"] = junkPfx, ["Password"] = Password }),
            "wrong password" => Web(new JsonObject { ["Path"] = pfx, ["Password"] = Password }),
            "PEM without its key" => Web(new JsonObject { ["Path"] = crt }),
            "second endpoint" => new JsonObject
            {
                ["Endpoints"] = new JsonObject
                {
                    ["a"] = Endpoint(new JsonObject { ["Path"] = crt, ["KeyPath"] = key }),
                    ["b"] = Endpoint(new JsonObject { ["Path"] = missing, ["Password"] = Password }),
                },
            },
            "localhost port 0" => new JsonObject { ["Endpoints"] = new JsonObject { ["web"] = new JsonObject { ["Url"] = "http://localhost:0" } } },
            _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null),
        };
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _directory.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (https://127\.0\.0\.1:\d+)")]
    private static partial Regex HttpsListening();
}
