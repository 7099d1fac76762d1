using System.Net;
using Gateway.Routing.Clients;
using Gateway.Routing.Config;
using Gateway.Tests.Support;

namespace Gateway.Tests.Routing;

public class ClientAddressResolverTests
{
    private static readonly ClientAddressResolver Resolver = new(
        NetworkList.Compile(["10.0.0.0/8", "2001:db8:ffff::/48"], "test", new ConfigReader([])), "X-Client-Ip-City", null);

    private static string? Resolve(string peer, params string[] forwardedFor) =>
        Resolver.ResolveAddress(Requests.Create(remoteIp: peer, headers: [.. forwardedFor.Select(v => ("X-Forwarded-For", v))]))?.ToString();

    [Fact]
    public void Resolve_UntrustedPeer_IgnoresForwardedFor()
    {
        Resolve("203.0.113.9", "1.2.3.4").Should().Be("203.0.113.9");
    }

    [Fact]
    public void Resolve_TrustedPeer_TakesEntryRightOfTheLastTrustedProxy()
    {
        Resolve("10.0.0.1", "1.2.3.4, 10.9.9.9").Should().Be("1.2.3.4");
    }

    [Fact]
    public void Resolve_ForgedLeftEntries_AreNotBelieved()
    {
        // The client wrote "6.6.6.6" itself; our proxy appended the address it really saw (1.2.3.4).
        Resolve("10.0.0.1", "6.6.6.6, 1.2.3.4").Should().Be("1.2.3.4");
    }

    [Fact]
    public void Resolve_SeveralHeaderLines_AreReadAsOneListInOrder()
    {
        Resolve("10.0.0.1", "6.6.6.6, 5.5.5.5", "10.1.1.1").Should().Be("5.5.5.5");
    }

    [Fact]
    public void Resolve_AllHopsTrusted_TakesTheLeftmost()
    {
        Resolve("10.0.0.1", "10.3.3.3, 10.2.2.2").Should().Be("10.3.3.3");
    }

    [Fact]
    public void Resolve_NoForwardedFor_IsThePeer()
    {
        Resolve("10.0.0.1").Should().Be("10.0.0.1");
    }

    [Fact]
    public void Resolve_GarbageEntry_StopsAtTheLastTrustedHop()
    {
        Resolve("10.0.0.1", "1.2.3.4, not-an-ip, 10.2.2.2").Should().Be("10.2.2.2");
    }

    [Theory]
    [InlineData("1.2.3.4:5678", "1.2.3.4")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData(" ::ffff:1.2.3.4 ", "1.2.3.4")]
    public void Resolve_EntryForms_AreParsed(string entry, string expected)
    {
        Resolve("10.0.0.1", entry).Should().Be(expected);
    }

    [Fact]
    public void Resolve_MappedIPv4Peer_IsMatchedAgainstIPv4Networks()
    {
        Resolve("::ffff:10.0.0.1", "1.2.3.4").Should().Be("1.2.3.4");
    }

    /// <summary>Each hop is compared with the trusted proxies as it is read; only the answer becomes an address.</summary>
    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    public void Resolve_ThroughTrustedHops_AllocatesOnlyTheAnswer(string peer)
    {
        var context = Requests.Create(remoteIp: peer, headers: ("X-Forwarded-For", "203.0.113.7, 10.1.1.1, 10.2.2.2"));
        var oneAddress = Allocations.PerCall(() => AddressKey.Of(IPAddress.Loopback).ToAddress());

        var walk = Allocations.PerCall(() => Resolver.ResolveAddress(context));

        Resolver.ResolveAddress(context)!.ToString().Should().Be("203.0.113.7");
        walk.Should().BeLessThanOrEqualTo(oneAddress);
    }

    [Fact]
    public void Resolve_IPv6TrustedProxy_IsHonoured()
    {
        Resolve("2001:db8:ffff::5", "2001:db8:1::7").Should().Be("2001:db8:1::7");
    }

    [Fact]
    public void ResolveCity_HeaderFromUntrustedPeer_IsIgnored()
    {
        var request = Requests.Create(remoteIp: "203.0.113.9", headers: ("X-Client-Ip-City", "guangzhou,guangdong,cn"));

        Resolver.ResolveCity(request, IPAddress.Parse("203.0.113.9")).Should().BeNull();
    }
}
