using System.Net;
using Gateway.Tests.Support;
using Lanes.Propagation;
using Microsoft.Extensions.ServiceDiscovery;

namespace Gateway.Tests.Propagation;

public sealed class EndpointAddressTests
{
    private const string Call = "http://payments:8080/charge/1?x=1&y=a%20b#part";

    [Theory]
    [InlineData("uri:http://127.0.0.1:5002", "http://127.0.0.1:5002/charge/1?x=1&y=a%20b#part")]
    [InlineData("uri:https://gray.internal:8443/", "https://gray.internal:8443/charge/1?x=1&y=a%20b#part")]
    [InlineData("uri:http://[::1]:5002", "http://[::1]:5002/charge/1?x=1&y=a%20b#part")]
    [InlineData("uri:http://10.0.0.1:5002/base/", "http://10.0.0.1:5002/base/charge/1?x=1&y=a%20b#part")]
    [InlineData("ip:10.1.2.3:9000", "http://10.1.2.3:9000/charge/1?x=1&y=a%20b#part")]
    [InlineData("ip:[fd00::7]:9000", "http://[fd00::7]:9000/charge/1?x=1&y=a%20b#part")]
    [InlineData("dns:payments-gray:9000", "http://payments-gray:9000/charge/1?x=1&y=a%20b#part")]
    [InlineData("dns:payments-gray:0", "http://payments-gray:8080/charge/1?x=1&y=a%20b#part")]
    [InlineData("dns:::1:9000", "http://[::1]:9000/charge/1?x=1&y=a%20b#part")]
    [InlineData("dns:10.0.0.5:9000", "http://10.0.0.5:9000/charge/1?x=1&y=a%20b#part")]
    [InlineData("ip:[fe80::1%2]:9000", "http://[fe80::1%252]:9000/charge/1?x=1&y=a%20b#part")]
    [InlineData("ip:[::ffff:10.0.0.1]:9000", "http://[::ffff:10.0.0.1]:9000/charge/1?x=1&y=a%20b#part")]
    [InlineData("dns:PAYMENTS-Gray:9000", "http://payments-gray:9000/charge/1?x=1&y=a%20b#part")]
    public void Rewrite_Endpoint_KeepsPathQueryAndFragment(string endpoint, string expected)
    {
        var rewritten = EndpointAddress.Rewrite(new Uri(Call), Endpoint(endpoint));

        rewritten.Should().Be(new Uri(expected));
        rewritten.AbsoluteUri.Should().Be(new Uri(expected).AbsoluteUri);
    }

    [Fact]
    public void Rewrite_CallWithUserInfo_KeepsIt()
    {
        var rewritten = EndpointAddress.Rewrite(new Uri("http://user:secret@payments/charge"), Endpoint("uri:http://127.0.0.1:5002"));

        rewritten.AbsoluteUri.Should().Be("http://user:secret@127.0.0.1:5002/charge");
    }

    /// <summary>The new request URI is all a call to an instance allocates here: its text and the <see cref="Uri"/>.</summary>
    [Theory]
    [InlineData("uri:http://127.0.0.1:5002", "http://127.0.0.1:5002/charge/1?x=1&y=a%20b#part")]
    [InlineData("ip:10.1.2.3:9000", "http://10.1.2.3:9000/charge/1?x=1&y=a%20b#part")]
    [InlineData("dns:payments-gray:9000", "http://payments-gray:9000/charge/1?x=1&y=a%20b#part")]
    public void Rewrite_CommonEndpoint_AllocatesOnlyTheNewUri(string endpoint, string expected)
    {
        var call = new Uri(Call);
        var target = Endpoint(endpoint);
        _ = call.PathAndQuery;

        var allocated = Allocations.PerCall(() => EndpointAddress.Rewrite(call, target));
        var uriAlone = Allocations.PerCall(() => _ = new Uri(new string(expected.AsSpan())));

        allocated.Should().BeLessThanOrEqualTo(uriAlone);
    }

    private static ServiceEndpoint Endpoint(string spec)
    {
        var (kind, value) = (spec[..spec.IndexOf(':', StringComparison.Ordinal)], spec[(spec.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        EndPoint endPoint = kind switch
        {
            "uri" => new UriEndPoint(new Uri(value)),
            "ip" => IPEndPoint.Parse(value),
            _ => new DnsEndPoint(value[..value.LastIndexOf(':')], int.Parse(value[(value.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture)),
        };
        return ServiceEndpoint.Create(endPoint);
    }
}
