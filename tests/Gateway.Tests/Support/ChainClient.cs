using System.Net.Http.Json;
using Gateway.Host.Demo;

namespace Gateway.Tests.Support;

internal static class ChainClient
{
    /// <summary>Sends a GET through a chain of demo services and returns the status, <c>x-served-lane</c> and the hops.</summary>
    public static async Task<(int Status, string? ServedLane, ChainReply Reply)> GetChainAsync(this HttpClient client, string path, params (string Name, string Value)[] headers)
    {
        using var response = await client.SendAsync(EchoClient.Get(path, headers));
        var served = response.Headers.TryGetValues("x-served-lane", out var values) ? values.First() : null;
        return ((int)response.StatusCode, served, (await response.Content.ReadFromJsonAsync<ChainReply>(ChainReply.JsonOptions))!);
    }

    /// <summary>Each hop as <c>service:lane:tag</c>, following the first call of each service.</summary>
    public static string Hops(this ChainReply reply)
    {
        var hops = new List<string>();
        for (var hop = reply; hop is not null; hop = hop.Calls is [var next, ..] ? next : null)
        {
            hops.Add(hop.Service + ":" + (hop.Lane ?? hop.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)) + ":" + hop.ReceivedTag);
        }

        return string.Join(" > ", hops);
    }
}
