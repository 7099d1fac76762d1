using System.Net.Http;
using System.Text;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Lanes.Upstream;

/// <summary>
/// YARP's HttpClient factory, with two changes. Request headers are sent as UTF-8 unless a cluster sets
/// <c>HttpClient:RequestHeaderEncoding</c>: Kestrel accepts UTF-8 header values, but HttpClient sends ASCII only by
/// default and throws on anything else, so a client's <c>x-name: café</c> became a 502 counted as the destination's
/// failure (anonymous clients could take a lane's instances out and raise its error rate). And clusters whose
/// <c>HttpClient</c> settings are equal share one client, so one connection pool per backend address: YARP gives each
/// cluster its own, and a config of many routes, each with its own cluster of the same few services, kept an idle
/// connection per cluster and backend for a minute after each request, until the process could open no file (the
/// scrape endpoint then failed for good, as .NET remembers an assembly it could not load).
/// </summary>
internal sealed class UpstreamHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger) : ForwarderHttpClientFactory(logger), IForwarderHttpClientFactory
{
    private static readonly HeaderEncodingSelector<HttpRequestMessage> Utf8 = static (_, _) => Encoding.UTF8;

    // Weak: a client no cluster uses any more goes with its connections; YARP never disposes clients itself.
    private readonly Dictionary<HttpClientConfig, WeakReference<HttpMessageInvoker>> _shared = [];

    HttpMessageInvoker IForwarderHttpClientFactory.CreateClient(ForwarderHttpClientContext context)
    {
        lock (_shared)
        {
            if (_shared.TryGetValue(context.NewConfig, out var shared) && shared.TryGetTarget(out var client))
            {
                return client;
            }

            client = CreateClient(context);
            foreach (var (config, unused) in _shared)
            {
                if (!unused.TryGetTarget(out _))
                {
                    _shared.Remove(config);
                }
            }

            _shared[context.NewConfig] = new WeakReference<HttpMessageInvoker>(client);
            return client;
        }
    }

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        if (context.NewConfig.RequestHeaderEncoding is null)
        {
            handler.RequestHeaderEncodingSelector = Utf8;
        }
    }
}
