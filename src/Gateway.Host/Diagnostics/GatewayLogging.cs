using Gateway.Host.Hosting;
using Serilog;
using Serilog.Configuration;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Json;

namespace Gateway.Host.Diagnostics;

/// <summary>
/// Logging through Serilog's hosting integration (<c>AddSerilog</c>): levels from the standard
/// <c>Logging:LogLevel</c> section (the access log is the category <c>Gateway.AccessLog</c>); a <c>Serilog</c> section,
/// when present, configures Serilog fully (sinks, enrichers, and levels on top); otherwise the console, as text, or
/// one JSON object per line with <c>Logging:Format=json</c>.
/// </summary>
internal static class GatewayLogging
{
    public static ILoggingBuilder AddGatewayLogging(this ILoggingBuilder logging)
    {
        // The host's default providers (console, debug) would write every event a second time.
        logging.ClearProviders();
        logging.Services.AddSerilog(
            (services, serilog) =>
            {
                Configure(serilog, services.GetRequiredService<IConfiguration>());
                if (services.GetService<StartupLogFilter>() is { } startup)
                {
                    serilog.Filter.ByIncludingOnly(startup.Allows);
                }
            },

            // Each host keeps its own logger (tests and the demo run several in one process), and logger providers
            // added the usual way (builder.Logging.AddProvider) still receive every event Serilog lets through.
            preserveStaticLogger: true,
            writeToProviders: true);
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
        ApplyLevels(serilog.MinimumLevel, configuration.GetSection("Logging:LogLevel"));
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

    /// <summary>
    /// <c>Logging:LogLevel</c> as Serilog minimum levels: <c>Default</c> is the minimum, every other key overrides it
    /// for the categories it prefixes (as in Microsoft.Extensions.Logging); <c>None</c> turns a category off.
    /// </summary>
    private static void ApplyLevels(LoggerMinimumLevelConfiguration minimum, IConfigurationSection levels)
    {
        minimum.Information();
        foreach (var entry in levels.GetChildren())
        {
            if (!Enum.TryParse<LogLevel>(entry.Value, ignoreCase: true, out var level))
            {
                continue;
            }

            var serilogLevel = LevelConvert.ToSerilogLevel(level);
            if (entry.Key == "Default")
            {
                minimum.Is(serilogLevel);
            }
            else
            {
                minimum.Override(entry.Key, serilogLevel);
            }
        }
    }
}
