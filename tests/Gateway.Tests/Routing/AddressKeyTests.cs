using System.Globalization;
using System.Net;
using Gateway.Routing.Clients;
using Gateway.Routing.Config;

namespace Gateway.Tests.Routing;

/// <summary>
/// X-Forwarded-For hops are read without an <see cref="IPAddress"/> when they are plain dotted quads; every entry
/// must still mean exactly what <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> makes of it, or a client
/// could be seen as another address than before (or a trusted proxy's hop as untrusted).
/// </summary>
public class AddressKeyTests
{
    public static TheoryData<string> Entries => new()
    {
        "1.2.3.4", " 1.2.3.4 ", "1.2.3.4:8080", "0.0.0.0", "255.255.255.255", "10.0.0.1", "192.168.001.1", "010.0.0.1",
        "01.2.3.4", "1.2.3.04", "00.0.0.0", "1.2.3", "1.2", "1", "256.1.1.1", "1.2.3.256", "1.2.3.4.5", "1.2.3.", ".1.2.3",
        "1..2.3", "1.2.3.4a", "a1.2.3.4", "0x7f.0.0.1", "1.2.3.4:", "1.2.3.1234", "1234.1.1.1", "+1.2.3.4", "-1.2.3.4",
        "1.2.3.4 5", "[1.2.3.4]:80", "::ffff:1.2.3.4", "[::ffff:10.0.0.1]:443", "2001:db8::1", "[2001:db8::1]:443",
        "fe80::1%3", "::", "::1", "", " ", "unknown", "٣.٣.٣.٣", "1.2.3.4\t",
    };

    [Theory]
    [MemberData(nameof(Entries))]
    public void TryParseForwarded_Entry_SameAddressAsIPAddressParse(string entry)
    {
        AssertSameAsIPAddress(entry);
    }

    [Fact]
    public void TryParseForwarded_RandomDottedText_SameAddressAsIPAddressParse()
    {
        var random = new Random(17);
        for (var i = 0; i < 20_000; i++)
        {
            // Three to five numbers (some past 255, some with a leading zero), or characters a quad is made of.
            var parts = new string[random.Next(3, 6)];
            for (var p = 0; p < parts.Length; p++)
            {
                var number = random.Next(0, 300).ToString(CultureInfo.InvariantCulture);
                parts[p] = random.Next(8) == 0 ? "0" + number : number;
            }

            AssertSameAsIPAddress(string.Join('.', parts));
            var text = new char[random.Next(1, 17)];
            for (var c = 0; c < text.Length; c++)
            {
                text[c] = "0123456789.:"[random.Next(12)];
            }

            AssertSameAsIPAddress(new string(text));
        }
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "::ffff:10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.0", false)]
    [InlineData("10.0.0.0/8", "::a00:1", false)]
    [InlineData("0.0.0.0/0", "203.0.113.7", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    [InlineData("198.51.100.7", "198.51.100.7", true)]
    [InlineData("198.51.100.7", "198.51.100.6", false)]
    [InlineData("192.0.2.128/25", "192.0.2.127", false)]
    [InlineData("192.0.2.128/25", "192.0.2.200", true)]
    [InlineData("2001:db8:aa::/48", "2001:db8:aa:ffff::1", true)]
    [InlineData("2001:db8:aa::/48", "2001:db8:ab::1", false)]
    [InlineData("::/0", "2001:db8::1", true)]
    [InlineData("::/0", "::ffff:1.2.3.4", false)]
    [InlineData("2001:db8::1", "2001:db8::1", true)]
    [InlineData("2001:db8::1", "2001:db8::2", false)]
    [InlineData("2001:db8::/127", "2001:db8::1", true)]
    public void Contains_AddressAgainstNetwork_AsIPNetworkWithMappedIPv4AsIPv4(string network, string address, bool expected)
    {
        var networks = NetworkList.Compile([network], "test", new ConfigReader([]));

        var key = AddressKey.Of(IPAddress.Parse(address));

        (networks.Contains(IPAddress.Parse(address)), networks.Contains(key)).Should().Be((expected, expected));
    }

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("::ffff:203.0.113.7")]
    [InlineData("2001:db8::1")]
    public void ToAddress_Key_IsTheAddressAsRulesWriteIt(string address)
    {
        AddressKey.Of(IPAddress.Parse(address)).ToAddress().ToString().Should().Be(address.Replace("::ffff:", "", StringComparison.Ordinal));
    }

    private static void AssertSameAsIPAddress(string entry)
    {
        var expectedOk = IPAddress.TryParse(ClientAddress.ForwardedHost(entry), out var expected);

        var ok = AddressKey.TryParseForwarded(entry, out var key, out var parsed);

        ok.Should().Be(expectedOk, entry);
        if (ok)
        {
            (parsed ?? key.ToAddress()).Should().Be(ClientAddress.Normalize(expected!), entry);
            key.Should().Be(AddressKey.Of(expected!), entry);
            key.IsV4.Should().Be(expected!.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork || expected.IsIPv4MappedToIPv6, entry);
        }
    }
}
