using Gateway.Host.Config;
using Gateway.Lanes.Selection;
using Gateway.Routing.Config;
using Gateway.Routing.Tagging;

namespace Gateway.Host.Hosting;

/// <summary>Builds the gateway web application from a config source; <c>Program</c>, the demo and the tests all start it here.</summary>
internal static class GatewayApp
{
    /// <summary>Default public address when neither <c>--urls</c> nor ASPNETCORE_URLS says otherwise.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>Builds the app, or returns null and fills <paramref name="problems"/> when the config is invalid.</summary>
    public static WebApplication? Build(GatewayConfigSource source, string[] args, List<ConfigProblem> problems, Action<WebApplicationBuilder>? configure = null)
    {
        var configuration = GatewayConfigLoader.Load(source, problems);
        var snapshot = configuration is null ? null : GatewayConfigLoader.Compile(configuration, source.BaseDirectory, problems);
        if (snapshot is null)
        {
            return null;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Yarp"] = "Warning",
        });
        source.AddTo(builder.Configuration);
        builder.Configuration.AddCommandLine(args);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }

        configure?.Invoke(builder);
        builder.Services.AddGateway(builder.Configuration, snapshot);
        var app = builder.Build();
        app.MapGateway();
        return app;
    }

    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration, GatewaySnapshot snapshot)
    {
        services.AddSingleton(new GatewaySnapshotSource(snapshot));
        services.AddSingleton(TimeProvider.System);
        services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection(ProxyConfigChecks.SectionName))
            .AddLaneTagging();
        return services;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapReverseProxy(proxy =>
        {
            proxy.UseLaneTagging();
            proxy.UseLaneSelection();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
