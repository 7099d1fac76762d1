using System.Net.Http.Json;
using Gateway.Host.Demo;

namespace Gateway.Tests.Support;

internal static class EchoClient
{
    /// <summary>Sends a GET with the given headers and returns which backend answered and the tag it received.</summary>
    public static async Task<EchoReply> GetEchoAsync(this HttpClient client, string path, params (string Name, string Value)[] headers)
    {
        using var response = await client.SendAsync(Get(path, headers));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<EchoReply>(EchoReply.JsonOptions))!;
    }

    public static HttpRequestMessage Get(string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
