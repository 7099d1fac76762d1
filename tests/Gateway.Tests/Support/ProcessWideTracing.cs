namespace Gateway.Tests.Support;

/// <summary>
/// Tests that turn tracing on in this process (an <c>ActivityListener</c>, or an in-process gateway with
/// <c>Telemetry:Otlp</c>) run alone. A listener is process-wide: one that appears while another test's request is in
/// flight through an in-process gateway makes its forwarded request start an activity of its own, whose propagation
/// replaces that request's <c>baggage</c> header (seen in <c>ForwardedHeadersTests</c>).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideTracing
{
    public const string Name = "Process-wide tracing";
}
