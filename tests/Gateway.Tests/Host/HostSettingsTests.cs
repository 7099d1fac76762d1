using System.Text;
using System.Text.Json.Nodes;
using Gateway.Host.Config;
using Gateway.Routing.Config;
using Gateway.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Host;

/// <summary>
/// The whole file is strict, host sections included: a misspelt key is an error with its path (and the name meant),
/// where the configuration system would have ignored it and fallen back to a default.
/// </summary>
public sealed class HostSettingsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public static TheoryData<string, string> Misspelt() => new()
    {
        { """{ "Admin": { "Tokne": "s3cret" } }""", "Admin:Tokne: unknown setting; did you mean 'Token'?" },
        { """{ "Lane": { "Groups": {} } }""", "Lane: unknown setting; did you mean 'Lanes'?" },
        { """{ "Telemetry": { "Otlp": { "Endpont": "http://collector:4317" } } }""", "Telemetry:Otlp:Endpont: unknown setting; did you mean 'Endpoint'?" },
        { """{ "Lifecycle": { "DrainDelaySecond": 5 } }""", "Lifecycle:DrainDelaySecond: unknown setting; did you mean 'DrainDelaySeconds'?" },
        { """{ "Lifecycle": { "DrainDelaySeconds": "5s" } }""", "Lifecycle:DrainDelaySeconds: '5s' is not a number" },
        { """{ "ConfigReload": { "PollIntervalMs": 100 } }""", "ConfigReload:PollIntervalMs: unknown setting; expected one of PollIntervalMilliseconds" },
        { """{ "Overload": { "RequestPerClient": 100 } }""", "Overload:RequestPerClient: unknown setting; did you mean 'RequestsPerClient'?" },
        { """{ "Overload": { "RequestsPerClient": 0 } }""", "Overload:RequestsPerClient: 0 is outside 1-100000000" },
        { """{ "Overload": { "RequestsPerClient": "many" } }""", "Overload:RequestsPerClient: 'many' is not a whole number" },
        { """{ "Overload": { "ConnectionsPerClient": 100000001 } }""", "Overload:ConnectionsPerClient: 100000001 is outside 1-100000000" },
        { """{ "Kestrel": { "Limts": { "MaxRequestBodySize": 10 } } }""", "Kestrel:Limts: unknown setting; did you mean 'Limits'?" },
        { """{ "Kestrel": { "Limits": { "MaxRequestBodySiz": 10 } } }""", "Kestrel:Limits:MaxRequestBodySiz: unknown setting; did you mean 'MaxRequestBodySize'?" },
        { """{ "Logging": { "LogLevl": { "Default": "Debug" } } }""", "Logging:LogLevl: unknown setting; did you mean 'LogLevel'?" },
        { """{ "Logging": { "LogLevel": { "Default": "Verbose" } } }""", "Logging:LogLevel:Default: 'Verbose' is not one of Trace, Debug, Information, Warning, Error, Critical, None" },
        { """{ "Urls": "http://127.0.0.1:8080", "Admin": { "Urls": "ftp://x" } }""", "Admin:Urls: 'ftp://x'" },
    };

    [Theory]
    [MemberData(nameof(Misspelt))]
    public void Compile_MisspeltHostSetting_IsAProblemWithItsPath(string json, string expected)
    {
        Problems(json).Should().ContainSingle().Which.Should().StartWith(expected);
    }

    /// <summary>Kestrel's settings are said as every other section's: at the key, with the value and what is expected.</summary>
    public static TheoryData<string, string> BadKestrelValue() => new()
    {
        { """{ "Kestrel": { "Limits": { "MaxRequestBodySize": "big" } } }""", "Kestrel:Limits:MaxRequestBodySize: 'big' is not a whole number" },
        { """{ "Kestrel": { "Limits": { "MaxRequestHeaderCount": 1.5 } } }""", "Kestrel:Limits:MaxRequestHeaderCount: '1.5' is not a whole number" },
        { """{ "Kestrel": { "Limits": { "KeepAliveTimeout": "5s" } } }""", "Kestrel:Limits:KeepAliveTimeout: '5s' is not a duration such as 00:00:30" },
        { """{ "Kestrel": { "AddServerHeader": "yes" } }""", "Kestrel:AddServerHeader: 'yes' is not true or false" },
        { """{ "Kestrel": { "Limits": { "Http2": { "MaxStreamsPerConnection": "many" } } } }""", "Kestrel:Limits:Http2:MaxStreamsPerConnection: 'many' is not a whole number" },
        { """{ "Kestrel": { "Limits": { "Http2": { "MaxStreamsPerConection": 5 } } } }""", "Kestrel:Limits:Http2:MaxStreamsPerConection: unknown setting; did you mean 'MaxStreamsPerConnection'?" },
        { """{ "Kestrel": { "Endpoint": { "https": { "Url": "https://0.0.0.0:8443" } } } }""", "Kestrel:Endpoint: unknown setting; did you mean 'Endpoints'?" },
        { """{ "Kestrel": { "Limits": { "MaxRequestBodySize": -5 } } }""", "Kestrel:Limits:MaxRequestBodySize: '-5' is out of range: Value must be null or a non-negative number." },
        { """{ "Kestrel": { "Limits": 5 } }""", "Kestrel:Limits: expected an object, found the single value 5" },
        { """{ "Kestrel": { "Limits": [ 1, 2 ] } }""", "Kestrel:Limits: expected an object, found a list" },
        { """{ "Kestrel": { "AddServerHeader": { "Value": false } } }""", "Kestrel:AddServerHeader: expected true or false, found an object" },
        { """{ "Kestrel": "http://0.0.0.0:8080" }""", "Kestrel: expected an object, found the single value 'http://0.0.0.0:8080'" },
    };

    [Theory]
    [MemberData(nameof(BadKestrelValue))]
    public void Compile_BadKestrelValue_IsAProblemAtItsKey(string json, string expected)
    {
        Problems(json).Should().Equal(expected);
    }

    /// <summary>
    /// Kestrel's endpoint loader drops a value it cannot parse without a word, and a missing or malformed Url or HTTPS
    /// settings on an http endpoint crashed the start after <c>validate</c> had said the file was valid.
    /// </summary>
    public static TheoryData<string, string> BadKestrelEndpoint() => new()
    {
        { """{ "Kestrel": { "EndpointDefaults": { "Protocols": "Http9" } } }""", "Kestrel:EndpointDefaults:Protocols: 'Http9' is not one of None, Http1, Http2, Http1AndHttp2, Http3, Http1AndHttp2AndHttp3" },
        { """{ "Kestrel": { "EndpointDefaults": { "SslProtocols": [ "Tls9" ] } } }""", "Kestrel:EndpointDefaults:SslProtocols: 'Tls9' is not one of None, Ssl2, Ssl3, Tls, Default, Tls11, Tls12, Tls13" },
        { """{ "Kestrel": { "Endpoints": { "e": { "Url": "http://0.0.0.0:8081", "Protocols": "Http9" } } } }""", "Kestrel:Endpoints:e:Protocols: 'Http9' is not one of None, Http1, Http2, Http1AndHttp2, Http3, Http1AndHttp2AndHttp3" },
        { """{ "Kestrel": { "Endpoints": { "e": { "Protocols": "Http2" } } } }""", "Kestrel:Endpoints:e:Url: an endpoint needs a Url" },
        { """{ "Kestrel": { "Endpoints": { "e": { "Urll": "http://0.0.0.0:8081" } } } }""", "Kestrel:Endpoints:e:Urll: unknown setting; did you mean 'Url'?" },
        { """{ "Kestrel": { "Endpoints": { "e": { "Url": "nonsense" } } } }""", "Kestrel:Endpoints:e:Url: 'nonsense' is not an address such as https://0.0.0.0:8443" },
        { """{ "Kestrel": { "Endpoints": { "e": { "Url": "http://0.0.0.0:8081", "Sni": { "a.example": { "Protocols": "Http2" } } } } } }""", "Kestrel:Endpoints:e: Certificate, SslProtocols, ClientCertificateMode and Sni are for an https Url; this one is 'http://0.0.0.0:8081'" },
        { """{ "Kestrel": { "Endpoints": { "e": { "Url": "https://0.0.0.0:8443", "Sni": { "a.example": { "Protocol": "Http2" } } } } } }""", "Kestrel:Endpoints:e:Sni:a.example:Protocol: unknown setting; did you mean 'Protocols'?" },
        { """{ "Kestrel": { "Endpoints": { "e": "http://0.0.0.0:8081" } } }""", "Kestrel:Endpoints:e: expected an object, found the single value 'http://0.0.0.0:8081'" },
    };

    [Theory]
    [MemberData(nameof(BadKestrelEndpoint))]
    public void Compile_BadKestrelEndpoint_IsAProblemAtItsKey(string json, string expected)
    {
        Problems(json).Should().Equal(expected);
    }

    [Fact]
    public void Compile_GoodKestrelEndpoints_AreValid()
    {
        var json = """
            { "Kestrel": { "EndpointDefaults": { "Protocols": "http1AndHttp2", "SslProtocols": [ "Tls12", "Tls13" ] },
              "Endpoints": { "plain": { "Url": "http://0.0.0.0:8081", "Protocols": "Http1, Http2" },
                "tls": { "Url": "https://0.0.0.0:8443", "Certificate": { "Path": "gateway.pfx", "Password": "hunter2" }, "ClientCertificateMode": "AllowCertificate",
                  "Sni": { "*.example": { "Protocols": "Http2", "Certificate": { "Path": "x.pfx" } } } } } } }
            """;

        Problems(json).Should().BeEmpty();
    }

    /// <summary>
    /// What the file sets is checked once, as the file: an empty list there reaches the configuration system as an empty
    /// text, which the check of overrides must not see as a value someone set.
    /// </summary>
    [Fact]
    public async Task FileWithEmptyListsAndObjects_Starts()
    {
        var config = RuleHarness.Config(LaneSpec.Percentage("canary", "gray", 30))
            .Set("Kestrel:EndpointDefaults:SslProtocols", new System.Text.Json.Nodes.JsonArray()).Set("Lifecycle", new System.Text.Json.Nodes.JsonObject());
        var file = _directory.Write("gateway.json", config);

        await using var gateway = await GatewayProcess.StartAsync("--config", file);
        using var client = new HttpClient();

        (await client.GetAsync(new Uri(gateway.AdminAddress, "/healthz/live"))).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
    }

    /// <summary>The endpoint the start crashed on (exit 134, a stack trace) stops <c>validate</c> and the start with its path; a password near it is never shown.</summary>
    [Fact]
    public async Task KestrelEndpointWithoutUrl_ValidateAndStartRefuse()
    {
        var config = RuleHarness.Config(LaneSpec.Percentage("canary", "gray", 30))
            .Set("Kestrel:Endpoints:e:Certificate:Password", "hunter2").Set("Kestrel:Endpoints:e:Protocols", "Http2");
        var file = _directory.Write("gateway.json", config);

        var validate = await GatewayProcess.RunToExitAsync("validate", file);
        var start = await GatewayProcess.RunToExitAsync("--config", file, "--urls", "http://127.0.0.1:0", "--Admin:Urls", "http://127.0.0.1:0");

        foreach (var run in new[] { validate, start })
        {
            run.ExitCode.Should().Be(2, run.StdErr);
            run.StdErr.Should().Contain("Kestrel:Endpoints:e:Url: an endpoint needs a Url").And.NotContain("hunter2").And.NotContain("Unhandled exception");
        }
    }

    /// <summary>Kestrel's binder cannot set a data rate (its members are read-only) and dropped it without a word: refused.</summary>
    [Fact]
    public void Compile_KestrelSettingTheBinderCannotSet_IsUnknown()
    {
        var json = """{ "Kestrel": { "Limits": { "MinRequestBodyDataRate": { "BytesPerSecond": 100, "GracePeriod": "00:00:10" } } } }""";

        var problems = Problems(json);

        problems.Should().ContainSingle().Which.Should()
            .StartWith("Kestrel:Limits:MinRequestBodyDataRate: unknown setting; expected one of ").And.Contain("MaxRequestBodySize");
    }

    /// <summary>The binder stops at a part's first bad value; each value is bound on its own, so none hides another.</summary>
    [Fact]
    public void Compile_SeveralBadKestrelValues_ReportsEachAtItsKey()
    {
        var json = """
            { "Kestrel": { "Limits": { "MaxRequestBodySize": "big", "KeepAliveTimeout": "-00:00:01", "Htp2": { "MaxFrameSize": 1 },
                                       "Http2": { "MaxFrameSize": "x", "HeaderTableSize": 4096 } },
                           "AddServerHeader": "no", "AllowSynchronousIO": false } }
            """;

        var problems = Problems(json);

        problems.Should().Equal(
            "Kestrel:Limits:MaxRequestBodySize: 'big' is not a whole number",
            "Kestrel:Limits:KeepAliveTimeout: '-00:00:01' is out of range: Value must be a positive TimeSpan.",
            "Kestrel:Limits:Htp2: unknown setting; did you mean 'Http2'?",
            "Kestrel:Limits:Http2:MaxFrameSize: 'x' is not a whole number",
            "Kestrel:AddServerHeader: 'no' is not true or false");
    }

    /// <summary>
    /// Certificates are Kestrel's endpoint loader's, not bound here: a bad value beside them, or one of their sections
    /// misspelt, is reported without echoing a password; a value Kestrel's setter refuses stops validate and the start
    /// with a problem, not a crash.
    /// </summary>
    [Fact]
    public async Task BadKestrelValuesNearCertificates_ValidateAndStartReportWithoutShowingPasswords()
    {
        var config = RuleHarness.Config(LaneSpec.Percentage("canary", "gray", 30)).Set("Kestrel", JsonNode.Parse("""
            { "Limits": { "MaxRequestBodySize": -1, "KeepAliveTimeout": "forever" },
              "Certificates": { "Default": { "Path": "gateway.pfx", "Password": "hunter2-default" } },
              "Certificate": { "Path": "gateway.pfx", "Password": "hunter2-misspelt" },
              "Endpoints": { "https": { "Url": "https://127.0.0.1:0", "Certificate": { "Path": "gateway.pfx", "Password": "hunter2-endpoint" } } } }
            """));
        var file = _directory.Write("gateway.json", config);

        var validate = await GatewayProcess.RunToExitAsync("validate", file);
        var start = await GatewayProcess.RunToExitAsync("--config", file, "--urls", "http://127.0.0.1:0", "--Admin:Urls", "http://127.0.0.1:0");

        foreach (var run in new[] { validate, start })
        {
            run.ExitCode.Should().Be(2);
            run.StdErr.Should().Contain("Kestrel:Limits:MaxRequestBodySize: '-1' is out of range: Value must be null or a non-negative number.")
                .And.Contain("Kestrel:Limits:KeepAliveTimeout: 'forever' is not a duration such as 00:00:30")
                .And.Contain("Kestrel:Certificate: unknown setting; did you mean 'Certificates'?")
                .And.NotContain("hunter2").And.NotContain("listening");
        }
    }

    /// <summary>Free-form by design: log categories, Serilog's own section, Kestrel's endpoints; the top-level <c>urls</c> key.</summary>
    [Fact]
    public void Compile_FreeFormSections_AreAccepted()
    {
        var json = """
            { "urls": "http://127.0.0.1:8080",
              "Logging": { "LogLevel": { "Default": "Information", "Gateway.AccessLog": "Warning" }, "Format": "json" },
              "Serilog": { "MinimumLevel": { "Default": "Debug" }, "WriteTo": [ { "Name": "Console" } ] },
              "Kestrel": { "Limits": { "MaxRequestBodySize": 1024, "Http2": { "MaxStreamsPerConnection": 50 } }, "AddServerHeader": false,
                           "Endpoints": { "mine": { "Url": "http://127.0.0.1:8081", "Protocols": "Http1" } } },
              "Lifecycle": { "DrainDelaySeconds": 1, "ShutdownTimeoutSeconds": 2 }, "ConfigReload": { "PollIntervalMilliseconds": 100 },
              "Overload": { "RequestsPerClient": 500, "ConnectionsPerClient": 50 },
              "Telemetry": { "Otlp": { "Endpoint": "http://collector:4317", "Protocol": "grpc", "ExportIntervalSeconds": 5 } } }
            """;

        Problems(json).Should().BeEmpty();
    }

    /// <summary>A misspelt token must never leave the admin endpoints open: neither <c>validate</c> nor a start accepts the file.</summary>
    [Fact]
    public async Task MisspeltAdminToken_ValidateFailsAndStartRefuses()
    {
        var config = RuleHarness.Config(LaneSpec.Percentage("canary", "gray", 30)).Set("Admin:Tokne", "s3cret");
        var file = _directory.Write("gateway.json", config);

        var validate = await GatewayProcess.RunToExitAsync("validate", file);
        var start = await GatewayProcess.RunToExitAsync("--config", file, "--urls", "http://127.0.0.1:0", "--Admin:Urls", "http://127.0.0.1:0");

        validate.ExitCode.Should().Be(2);
        validate.StdErr.Should().Contain("Admin:Tokne: unknown setting; did you mean 'Token'?");
        start.ExitCode.Should().Be(2);
        start.StdErr.Should().Contain("Admin:Tokne").And.NotContain("listening");
    }

    /// <summary>An empty token from the command line or the environment (a secret that did not mount) must not open the admin endpoints.</summary>
    [Theory]
    [InlineData("--Admin:Token=", "Admin:Token: must not be empty")]
    [InlineData("--Admin:Token=  ", "Admin:Token: starts or ends with white space")]
    public async Task EmptyAdminTokenOverride_StartRefuses(string argument, string problem)
    {
        var file = _directory.Write("gateway.json", RuleHarness.Config(LaneSpec.Percentage("canary", "gray", 30)));

        var start = await GatewayProcess.RunToExitAsync("--config", file, "--urls", "http://127.0.0.1:0", "--Admin:Urls", "http://127.0.0.1:0", argument);

        start.ExitCode.Should().Be(2);
        start.StdErr.Should().Contain(problem).And.Contain("(set by an environment variable or a command-line argument)").And.NotContain("listening");
    }

    /// <summary>
    /// A host setting from the environment (a pod spec) or the command line is checked as the same setting in the file
    /// is: a bad value or a misspelt key stops the start with one problem at its path, not a crash with a stack trace
    /// (before: exit 134 for the first four, a watcher that died for the poll interval, an ignored OTLP endpoint).
    /// </summary>
    [Theory]
    [InlineData("Lifecycle__DrainDelaySeconds", "5s", "Lifecycle:DrainDelaySeconds: '5s' is not a number")]
    [InlineData("Lifecycle__DrainDelaySecond", "5", "Lifecycle:DrainDelaySecond: unknown setting; did you mean 'DrainDelaySeconds'?")]
    [InlineData("Kestrel__Limits__MaxRequestBodySize", "-5", "Kestrel:Limits:MaxRequestBodySize: '-5' is out of range")]
    [InlineData("Kestrel__Limits__KeepAliveTimeout", "big", "Kestrel:Limits:KeepAliveTimeout: 'big' is not a duration")]
    [InlineData("ConfigReload__PollIntervalMilliseconds", "abc", "ConfigReload:PollIntervalMilliseconds: 'abc' is not a whole number")]
    [InlineData("Telemetry__Otlp__Endpoint", "collector:4317", "Telemetry:Otlp:Endpoint: 'collector:4317' is not an absolute http or https address")]
    [InlineData("Logging__LogLevel__Default", "Warn", "Logging:LogLevel:Default: 'Warn' is not one of")]
    [InlineData("--Lifecycle:ShutdownTimeoutSeconds=9999", "", "Lifecycle:ShutdownTimeoutSeconds: 9999 is outside 0-3600 (set by an environment variable or a command-line argument)")]
    [InlineData("--Admin:Urls=bogus", "", "Admin:Urls: 'bogus' is not an http://host:port address")]
    [InlineData("ReverseProxy__Routes__canary__ClusterId", "other", "ReverseProxy:Routes:canary:ClusterId: routes, clusters and lanes come from the config file only, not from an environment variable or a command-line argument")]
    [InlineData("--Lanes:TagHeader=x-lane", "", "Lanes:TagHeader: routes, clusters and lanes come from the config file only, not from an environment variable or a command-line argument")]
    public async Task HostSettingOverride_Bad_StartRefusesWithItsPath(string setting, string value, string problem)
    {
        var file = _directory.Write("gateway.json", RuleHarness.Config(LaneSpec.Percentage("canary", "gray", 30)));
        var argument = setting.StartsWith("--", StringComparison.Ordinal);
        var environment = argument ? new Dictionary<string, string>() : new Dictionary<string, string> { [setting] = value };
        string[] args = ["--config", file, "--urls", "http://127.0.0.1:0", "--Admin:Urls", "http://127.0.0.1:0", .. argument ? [setting] : Array.Empty<string>()];

        var start = await GatewayProcess.RunToExitAsync(environment, args);

        start.ExitCode.Should().Be(2, start.StdErr);
        start.StdErr.Should().Contain(": 1 problem", "each problem is reported once");
        start.StdErr.Should().Contain(problem).And.NotContain("Unhandled exception").And.NotContain("listening");
        if (!setting.Contains("Admin:Urls", StringComparison.Ordinal))
        {
            start.StdErr.Should().Contain("environment variable or a command-line argument", "the listeners report Admin:Urls themselves, as for the file");
        }
    }

    /// <summary>
    /// Every host section of the file is checked when it is overridden, a section added later included: the checked
    /// sections come from the file's own type, not from a second list that could miss one.
    /// </summary>
    [Fact]
    public void HostSettingOverride_MisspeltKeyInAnySection_IsReported()
    {
        var sections = typeof(GatewayConfigFile).GetProperties().Select(p => p.Name)
            .Except(["ReverseProxy", "Lanes", "Urls", "Serilog"]).ToList();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([])
            .AddInMemoryCollection(sections.Select(section => KeyValuePair.Create(section + ":Misspelt", (string?)"1")))
            .Build();
        var problems = new List<ConfigProblem>();

        EffectiveHostSettings.Validate(configuration, configuration.Providers.First(), problems);

        sections.Should().HaveCountGreaterThanOrEqualTo(6);
        problems.Select(p => p.Path).Should().BeEquivalentTo(sections.Select(section => section + ":Misspelt"));
        problems.Should().OnlyContain(p => p.Message.StartsWith("unknown setting", StringComparison.Ordinal) && p.Message.EndsWith("(set by an environment variable or a command-line argument)", StringComparison.Ordinal));
    }

    /// <summary>Good overrides and Kestrel's certificate settings (read by Kestrel's own loader, never shown) still start.</summary>
    [Fact]
    public async Task HostSettingOverrides_Good_Start()
    {
        var file = _directory.Write("gateway.json", RuleHarness.Config(LaneSpec.Percentage("canary", "gray", 30)));
        var environment = new Dictionary<string, string>
        {
            ["Lifecycle__DrainDelaySeconds"] = "0", ["Logging__LogLevel__Default"] = "warning", ["Kestrel__Limits__MaxRequestBodySize"] = "1000",
            ["Kestrel__Certificates__Default__Password"] = "hunter2", ["ConfigReload__PollIntervalMilliseconds"] = "100",
            ["Kestrel__EndpointDefaults__SslProtocols__0"] = "Tls12", ["Kestrel__EndpointDefaults__SslProtocols__1"] = "Tls13",
        };

        await using var gateway = await GatewayProcess.StartAsync(environment, "--config", file);
        using var client = new HttpClient();

        (await client.GetAsync(new Uri(gateway.AdminAddress, "/healthz/live"))).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
    }

    /// <summary>A token read from a secret file written by <c>echo</c> ends in a newline no client sends: refused, never echoed.</summary>
    [Fact]
    public async Task AdminTokenWithTrailingNewline_ValidateAndStartRefuseWithoutShowingIt()
    {
        var inFile = _directory.Write("padded.json", RuleHarness.Config(LaneSpec.Percentage("canary", "gray", 30)).Set("Admin:Token", "s3cret-value\n"));
        var plain = _directory.Write("gateway.json", RuleHarness.Config(LaneSpec.Percentage("canary", "gray", 30)));

        var validate = await GatewayProcess.RunToExitAsync("validate", inFile);
        var start = await GatewayProcess.RunToExitAsync("--config", plain, "--urls", "http://127.0.0.1:0", "--Admin:Urls", "http://127.0.0.1:0", "--Admin:Token=s3cret-value\n");

        validate.ExitCode.Should().Be(2);
        validate.StdErr.Should().Contain("Admin:Token: starts or ends with white space").And.NotContain("s3cret");
        start.ExitCode.Should().Be(2);
        start.StdErr.Should().Contain("Admin:Token: starts or ends with white space").And.NotContain("s3cret").And.NotContain("listening");
    }

    public void Dispose() => _directory.Dispose();

    private static List<string> Problems(string json)
    {
        var problems = new List<ConfigProblem>();
        var document = ConfigDocument.Parse(Encoding.UTF8.GetBytes(json), "gateway.json", problems);
        document.Should().NotBeNull();
        GatewayConfigLoader.Compile(document!, ".", problems);
        return [.. problems.Select(p => p.ToString())];
    }
}
