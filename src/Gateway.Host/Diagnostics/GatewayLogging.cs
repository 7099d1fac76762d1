using Gateway.Host.Hosting;
using Serilog;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Json;

namespace Gateway.Host.Diagnostics;

/// <summary>
/// Logging through Serilog: a Serilog logger as the host's logger provider, its output the console, as text, or one
/// JSON object per line with <c>Logging:Format=json</c>; a <c>Serilog</c> section, when present, configures Serilog
/// fully (sinks, enrichers, and levels on top). Levels are the standard <c>Logging:LogLevel</c> section's (the access
/// log is the category <c>Gateway.AccessLog</c>), applied by the host's logging filters rather than by Serilog: those
/// follow the config file when it reloads, where Serilog's minimum levels are fixed once its logger is built.
/// </summary>
internal static class GatewayLogging
{
    public static ILoggingBuilder AddGatewayLogging(this ILoggingBuilder logging)
    {
        // The host's default providers (console, debug) would write every event a second time. Each host keeps its own
        // logger (tests and the demo run several in one process); providers added the usual way
        // (builder.Logging.AddProvider) receive the same events under the same filters.
        logging.ClearProviders();
        logging.Services.AddSingleton<ILoggerProvider>(services =>
        {
            var serilog = new LoggerConfiguration();
            Configure(serilog, services.GetRequiredService<IConfiguration>());
            if (services.GetService<StartupLogFilter>() is { } startup)
            {
                serilog.Filter.ByIncludingOnly(startup.Allows);
            }

            return new SerilogLoggerProvider(serilog.CreateLogger(), dispose: true);
        });
        return logging;
    }

    /// <summary>
    /// Why Serilog refuses the <c>Serilog</c> section (a level it does not know, a sink assembly that is not there), or
    /// null. It is free-form to the gateway's checks, and Serilog throws only when the host builds its logger: a stack
    /// trace instead of the start's list of problems.
    /// </summary>
    public static string? SectionProblem(IConfiguration configuration)
    {
        if (!configuration.GetSection("Serilog").Exists())
        {
            return null;
        }

        try
        {
            var serilog = new LoggerConfiguration();
            Configure(serilog, configuration);
            serilog.CreateLogger().Dispose();
            return null;
        }
        catch (Exception ex)
        {
            return ex.Message.ReplaceLineEndings(" ");
        }
    }

    public static void Configure(LoggerConfiguration serilog, IConfiguration configuration)
    {
        // Every event the logging filters let through; a Serilog section's MinimumLevel filters further.
        serilog.MinimumLevel.Verbose();
        if (configuration.GetSection("Serilog").Exists())
        {
            serilog.ReadFrom.Configuration(configuration);
        }
        else if (string.Equals(configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            serilog.WriteTo.Console(new JsonFormatter(renderMessage: true));
        }
        else
        {
            serilog.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        }
    }
}
