using Serilog;
using Serilog.Formatting.Json;

namespace Gateway.Host.Diagnostics;

/// <summary>
/// Logging through Serilog to the console: text by default, one JSON object per line with <c>Logging:Format=json</c>;
/// a <c>Serilog</c> section, when present, configures Serilog fully (sinks, enrichers). Levels stay with the
/// standard <c>Logging:LogLevel</c> section (the access log is the category <c>Gateway.AccessLog</c>).
/// </summary>
internal static class GatewayLogging
{
    public static void Configure(ILoggingBuilder logging, IConfiguration configuration)
    {
        var serilog = new LoggerConfiguration().MinimumLevel.Verbose();
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

        // Added as a plain provider: AddSerilog() would also add a Serilog-only filter at Trace, which overrides
        // every Logging:LogLevel rule.
        logging.ClearProviders();
        logging.AddProvider(new Serilog.Extensions.Logging.SerilogLoggerProvider(serilog.CreateLogger(), dispose: true));
    }
}
