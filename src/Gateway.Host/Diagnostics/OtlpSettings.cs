using Gateway.Routing.Config;

namespace Gateway.Host.Diagnostics;

/// <summary>The <c>Telemetry:Otlp</c> section as written in the file (used through <see cref="TelemetryOptions"/>).</summary>
internal sealed class OtlpSettings
{
    public string? Endpoint { get; init; }

    public string? Protocol { get; init; }

    public double? ExportIntervalSeconds { get; init; }

    public void Validate(string path, ConfigReader problems)
    {
        if (Endpoint is not null && !(Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            problems.Report(ConfigReader.Child(path, nameof(Endpoint)), "'" + Endpoint + "' is not an absolute http or https address");
        }

        if (Protocol is not null and not ("grpc" or "http/protobuf"))
        {
            problems.Report(ConfigReader.Child(path, nameof(Protocol)), "'" + Protocol + "' is not grpc or http/protobuf");
        }

        if (ExportIntervalSeconds is not (null or > 0)) // NaN included
        {
            problems.Report(ConfigReader.Child(path, nameof(ExportIntervalSeconds)), "must be more than 0");
        }
    }
}
