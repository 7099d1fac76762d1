using Microsoft.Extensions.Configuration.Memory;
using OpenTelemetry.Metrics;
using Gateway.Host.Admin;
using Gateway.Host.Config;
using Gateway.Host.Diagnostics;
using Gateway.Host.Lifecycle;
using Gateway.Host.Reload;
using Gateway.Lanes.Diagnostics;
using Gateway.Lanes.Selection;
using Gateway.Lanes.Upstream;
using Gateway.Routing.Config;
using Gateway.Routing.Tagging;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Host.Hosting;

/// <summary>Builds the gateway web application from a config source; <c>Program</c>, the demo and the tests all start it here.</summary>
internal static class GatewayApp
{
    /// <summary>Default public address when neither <c>--urls</c> nor ASPNETCORE_URLS says otherwise.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>Default admin address (metrics, health, admin API): loopback only unless configured otherwise.</summary>
    public const string DefaultAdminUrls = "http://127.0.0.1:9901";

    /// <summary>ASP.NET Core's per-request hosting log category; off by default (see <see cref="Build"/>).</summary>
    public const string HostingDiagnosticsLevelKey = "Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>Builds the app, or returns null and fills <paramref name="problems"/> when the config is invalid.</summary>
    public static WebApplication? Build(GatewayConfigSource source, string[] args, List<ConfigProblem> problems, Action<WebApplicationBuilder>? configure = null)
    {
        if (source.TryRead(problems) is not { } content)
        {
            return null;
        }

        var configuration = ConfigDocument.Parse(content, source.Description, problems);
        var compiled = configuration is null ? null : GatewayConfigLoader.Compile(configuration, source.BaseDirectory, problems, previous: null);
        if (compiled is null)
        {
            return null;
        }

        var snapshot = compiled.Snapshot;

        // The gateway binds its public and admin listeners itself; URLs left where the host looks for them make Kestrel
        // warn "Overriding address(es)" at every start. So --urls and ASPNETCORE_URLS / DOTNET_URLS are taken out here,
        // and the file's urls once read (below).
        var (hostArgs, argUrls) = TakeUrls(args);
        var environmentUrls = TakeEnvironment("ASPNETCORE_URLS") ?? TakeEnvironment("DOTNET_URLS");
        args = hostArgs;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // The gateway's defaults are the lowest layer: environment variables, the config file and arguments override them.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Yarp"] = "Warning",

            // YARP's forwarder warns once per failed request, with a stack trace; the gateway logs failures per
            // destination instead (UpstreamFailureLog). Setting this category lower brings them back.
            ["Logging:LogLevel:Yarp.ReverseProxy.Forwarder.HttpForwarder"] = "Error",

            // ASP.NET Core creates an activity and a log scope for every request as soon as this category is enabled at
            // any level, even when nothing records spans; with it off, a request gets an activity only while tracing is
            // on (Telemetry:Otlp). Its events are the per-request "Request starting/finished" lines and a start-up
            // exception, which fails the start with its stack trace anyway.
            [HostingDiagnosticsLevelKey] = "None",
        } });
        var validated = new ValidatedConfigurationProvider(compiled.Settings);
        ((IConfigurationBuilder)builder.Configuration).Add(validated);
        builder.Configuration.AddCommandLine(args);
        var before = problems.Count;
        var listeners = ReadListeners(builder.Configuration, argUrls, environmentUrls, problems);
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "");
        EffectiveHostSettings.Validate(builder.Configuration, validated, problems);
        if (GatewayLogging.SectionProblem(builder.Configuration) is { } serilog)
        {
            problems.Add(new ConfigProblem("Serilog", serilog));
        }

        if (problems.Count > before || listeners is null)
        {
            return null;
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Before the listeners: Kestrel applies endpoint defaults as each endpoint is made (Kestrel:Endpoints too).
            var budget = kestrel.ApplicationServices.GetRequiredService<OpenFileBudget>();
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Use(budget.Wrap));

            listeners.Configure(kestrel);
            KestrelLimits.Apply(kestrel, builder.Configuration);

            // Response headers pass as the backend sent them: HttpClient reads bytes past ASCII (obs-text, such as a
            // UTF-8 file name) as Latin-1, a char per byte, and Latin-1 writes the same bytes back; Kestrel's default
            // refuses them, and the response became a 502.
            kestrel.ResponseHeaderEncodingSelector = static _ => System.Text.Encoding.Latin1;
        });
        // Bound from the configuration, not only the file: a command-line or environment override still applies.
        var lifecycle = builder.Configuration.GetSection("Lifecycle").Get<LifecycleOptions>() ?? LifecycleOptions.Default;
        builder.Services.AddSingleton(lifecycle);
        builder.Services.AddSingleton<GatewayReadiness>();
        builder.Services.AddHostedService<GracefulShutdown>();
        builder.Services.AddHostedService<HangupSignal>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = lifecycle.DrainDelay + lifecycle.ShutdownTimeout);
        var startupLog = new StartupLogFilter();
        builder.Services.AddSingleton(startupLog);
        builder.Logging.AddGatewayLogging();
        builder.Services.AddSingleton(listeners);
        builder.Services.AddSingleton(builder.Configuration.GetSection(OverloadOptions.SectionName).Get<OverloadOptions>() ?? new OverloadOptions());
        builder.Services.AddSingleton(services => OpenFileBudget.Create(services, OpenFileBudget.ReadOpenFileLimit()));
        builder.Services.AddSingleton<IProxyRequestBudget>(services => services.GetRequiredService<OpenFileBudget>());
        builder.Services.AddSingleton(source);
        builder.Services.AddSingleton(validated);
        builder.Services.AddSingleton(new ConfigState(source.Description, snapshot.RevisionId, DateTimeOffset.UtcNow, content));
        if (source.File is not null)
        {
            builder.Services.AddSingleton<ConfigFileWatcher>();
            builder.Services.AddHostedService(services => services.GetRequiredService<ConfigFileWatcher>());
            builder.Services.AddHostedService<ReloadWarmup>();
        }

        configure?.Invoke(builder);
        builder.Services.AddGateway(builder.Configuration, snapshot, new LiveProxyConfigProvider(compiled.Proxy));
        var app = builder.Build();
        app.Lifetime.ApplicationStarted.Register(startupLog.Started);
        app.Services.GetService<ConfigFileWatcher>()?.Started(content, compiled);
        app.MapGateway();
        return app;
    }

    /// <summary>
    /// Public URLs in the order every other setting follows: <c>--urls</c>, else <c>urls</c> in the config file, else
    /// ASPNETCORE_URLS / DOTNET_URLS (the container image sets one), else the default.
    /// </summary>
    private static GatewayListeners? ReadListeners(IConfiguration configuration, string? argUrls, string? environmentUrls, List<ConfigProblem> problems)
    {
        var reader = new ConfigReader(problems);
        var before = problems.Count;
        var urls = argUrls ?? (configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } fromFile ? fromFile : environmentUrls ?? DefaultUrls);
        var publicUrls = ListenAddress.ParseList(urls, "urls", reader);
        var adminUrls = ListenAddress.ParseList(configuration["Admin:Urls"] ?? DefaultAdminUrls, "Admin:Urls", reader);
        foreach (var admin in adminUrls.Where(a => a.Port != 0 && publicUrls.Any(p => p.Port == a.Port)))
        {
            reader.Report("Admin:Urls", "port " + admin.Port + " is also a public port; the admin listener needs its own port");
        }

        return problems.Count > before ? null : new GatewayListeners(publicUrls, adminUrls);
    }

    private static (string[] Args, string? Urls) TakeUrls(string[] args)
    {
        var kept = new List<string>();
        string? urls = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--urls" && i + 1 < args.Length)
            {
                urls = args[++i];
            }
            else if (args[i].StartsWith("--urls=", StringComparison.Ordinal))
            {
                urls = args[i]["--urls=".Length..];
            }
            else
            {
                kept.Add(args[i]);
            }
        }

        return ([.. kept], urls);
    }

    private static string? TakeEnvironment(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, null);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration, GatewaySnapshot snapshot, LiveProxyConfigProvider proxy)
    {
        services.AddSingleton(proxy);
        services.AddSingleton<IProxyConfigProvider>(proxy);
        services.AddSingleton(new GatewaySnapshotSource(snapshot));
        services.AddSingleton(TimeProvider.System);

        services.AddGatewayTelemetry(TelemetryOptions.Read(configuration));
        services.AddSingleton<LaneMetrics>();
        services.AddSingleton<HostMetrics>();
        services.AddSingleton<AdminEndpoints>();
        ProxyConfigValidator.AddProxyServices(services).TrustTheReader().AddDefaultActivityTimeout().AddUtf8RequestHeaders();

        // Data protection's hosted service would still load the key ring at start: it made a key, wrote it unencrypted
        // under $HOME/.aspnet and warned about it, on every first start (a container's) and on a read-only file system.
        // Found by name, the type being internal; a runtime without it simply has nothing to remove.
        if (services.FirstOrDefault(service => service.ImplementationType?.Name == "DataProtectionHostedService") is { } keyRingPreload)
        {
            services.Remove(keyRingPreload);
        }

        return services;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        // Built now, so the meters and gauges exist before the first request and the first scrape; the meter
        // provider first, since what an instrument records before the provider listens is lost.
        app.Services.GetRequiredService<MeterProvider>();
        app.Services.GetRequiredService<LaneMetrics>();
        app.Services.GetRequiredService<HostMetrics>();

        var listeners = app.Services.GetRequiredService<GatewayListeners>();
        app.UseMiddleware<DrainingConnectionClose>();
        var admin = app.Services.GetRequiredService<AdminEndpoints>();
        // The admin listener gets its own branch, chosen by one port check; requests on the public listener pass no
        // other admin or scrape check on their way to the proxy. The Prometheus exporter's endpoint lives in the
        // branch, behind Admin:Token like the admin API.
        app.MapWhen(listeners.IsAdmin, adminPipeline =>
        {
            adminPipeline.UseOpenTelemetryPrometheusScrapingEndpoint(
                meterProvider: null,
                predicate: AdminEndpoints.IsMetrics,
                path: null,
                configureBranchedPipeline: scrape => scrape.Use(admin.RequireTokenAsync),
                optionsName: null);
            adminPipeline.Run(admin.HandleAsync);
        });
        app.MapReverseProxy(proxy =>
        {
            proxy.UseLaneTelemetry();
            proxy.UseLaneTagging();
            proxy.UseLaneSelection();
            proxy.UseConnectRetry();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
