using System.Net.Http;
using System.Text;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Lanes.Upstream;

/// <summary>
/// YARP's HttpClient factory, sending request headers as UTF-8 unless a cluster sets
/// <c>HttpClient:RequestHeaderEncoding</c>. Kestrel accepts UTF-8 header values, but HttpClient sends ASCII only by
/// default and throws on anything else: a client's <c>x-name: café</c> became a 502 counted as the destination's
/// failure, so anonymous clients could take a lane's instances out (passive health) and raise its error rate.
/// Re-encoded as UTF-8, the value reaches the backend as the client sent it.
/// </summary>
internal sealed class UpstreamHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger) : ForwarderHttpClientFactory(logger)
{
    private static readonly HeaderEncodingSelector<HttpRequestMessage> Utf8 = static (_, _) => Encoding.UTF8;

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        if (context.NewConfig.RequestHeaderEncoding is null)
        {
            handler.RequestHeaderEncodingSelector = Utf8;
        }
    }
}
