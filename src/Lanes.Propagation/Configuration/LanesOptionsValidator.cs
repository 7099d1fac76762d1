using System.Net;
using Microsoft.Extensions.Options;
using Lanes.Wire;

namespace Lanes.Propagation;

/// <summary>Checks the <c>Lanes</c> section at start and reports every problem at once, each with its key.</summary>
internal sealed class LanesOptionsValidator : IValidateOptions<LanesOptions>
{
    public ValidateOptionsResult Validate(string? name, LanesOptions options)
    {
        var problems = new List<string>();
        if (!LaneWire.IsValidTag(options.Lane))
        {
            problems.Add("Lanes:Lane: '" + options.Lane + "' is not a lane tag (1-64 characters of A-Z a-z 0-9 . _ -)");
        }

        if (options.TagHeader.Length > 0 && !LaneWire.IsToken(options.TagHeader))
        {
            problems.Add("Lanes:TagHeader: '" + options.TagHeader + "' is not a valid header name");
        }

        if (options.ServedLaneHeader.Length > 0 && !LaneWire.IsToken(options.ServedLaneHeader))
        {
            problems.Add("Lanes:ServedLaneHeader: '" + options.ServedLaneHeader + "' is not a valid header name");
        }

        if (options.Baggage.Enabled && !LaneWire.IsToken(options.Baggage.Key))
        {
            problems.Add("Lanes:Baggage:Key: '" + options.Baggage.Key + "' is not a valid baggage key");
        }

        if (options.TagHeader.Length == 0 && !options.Baggage.Enabled)
        {
            problems.Add("Lanes:TagHeader: empty while Lanes:Baggage:Enabled is false leaves no way to carry the lane");
        }

        for (var i = 0; i < options.TrustedNetworks.Count; i++)
        {
            if (!TryParseNetwork(options.TrustedNetworks[i], out _))
            {
                problems.Add("Lanes:TrustedNetworks:" + i + ": '" + options.TrustedNetworks[i] + "' is not a CIDR or an IP address");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>
    /// A network, or one address. Callers are compared as IPv4 when they are IPv4-mapped, so an IPv4-mapped address is
    /// read as IPv4 and an IPv4-mapped network (which could never match) is refused, as the gateway does.
    /// </summary>
    public static bool TryParseNetwork(string value, out IPNetwork network)
    {
        if (IPAddress.TryParse(value, out var address) && !value.Contains('/', StringComparison.Ordinal))
        {
            address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(value, out network) && !network.BaseAddress.IsIPv4MappedToIPv6;
    }
}
