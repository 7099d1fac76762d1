using System.Buffers.Binary;
using System.Net;

namespace Gateway.Routing.Clients;

/// <summary>
/// An IP address as a number, compared with networks without an <see cref="IPAddress"/>: the X-Forwarded-For walk
/// reads each hop into one on the stack, and makes an address only of the hop it answers with. IPv4, and IPv4 mapped
/// to IPv6 (a dual-stack listener's IPv4 clients), are the low 32 bits with <see cref="IsV4"/> set, as rules write them.
/// </summary>
internal readonly record struct AddressKey(bool IsV4, UInt128 Value)
{
    public static AddressKey Of(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4 ? new(true, BinaryPrimitives.ReadUInt32BigEndian(bytes))
            : address.IsIPv4MappedToIPv6 ? new(true, BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]))
            : new(false, BinaryPrimitives.ReadUInt128BigEndian(bytes));
    }

    public IPAddress ToAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        if (IsV4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)Value);
            return new IPAddress(bytes[..4]);
        }

        BinaryPrimitives.WriteUInt128BigEndian(bytes, Value);
        return new IPAddress(bytes);
    }

    /// <summary>
    /// Parses one X-Forwarded-For entry (see <see cref="ClientAddress.ForwardedHost"/>). A plain dotted quad is read
    /// here (<paramref name="parsed"/> null); any other form by <see cref="IPAddress.TryParse(ReadOnlySpan{char}, out IPAddress?)"/>,
    /// whose answer, IPv4 mapped to IPv6 made IPv4, is <paramref name="parsed"/>.
    /// </summary>
    public static bool TryParseForwarded(ReadOnlySpan<char> entry, out AddressKey key, out IPAddress? parsed)
    {
        var host = ClientAddress.ForwardedHost(entry);
        parsed = null;
        if (TryParseDottedQuad(host, out var v4))
        {
            key = new AddressKey(true, v4);
            return true;
        }

        if (IPAddress.TryParse(host, out var address))
        {
            parsed = ClientAddress.Normalize(address);
            key = Of(parsed);
            return true;
        }

        key = default;
        return false;
    }

    /// <summary>
    /// Four decimal numbers of 0-255 between dots, without leading zeros: the form proxies write. Anything else (a
    /// leading zero, which <see cref="IPAddress"/> reads as octal, or a shortened form) is left to it.
    /// </summary>
    private static bool TryParseDottedQuad(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        var i = 0;
        for (var part = 0; part < 4; part++)
        {
            if (part > 0)
            {
                if (i >= text.Length || text[i] != '.')
                {
                    return false;
                }

                i++;
            }

            var start = i;
            var number = 0u;
            while (i < text.Length && i - start < 3 && char.IsAsciiDigit(text[i]))
            {
                number = (number * 10) + (uint)(text[i] - '0');
                i++;
            }

            if (i == start || number > 255 || (text[start] == '0' && i - start > 1))
            {
                return false;
            }

            value = (value << 8) | number;
        }

        return i == text.Length;
    }
}
