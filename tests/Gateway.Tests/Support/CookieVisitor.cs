using System.Net.Http.Json;
using Gateway.Host.Demo;

namespace Gateway.Tests.Support;

/// <summary>Browsers that keep (or have not yet got) the gateway's sticky cookie, as a client without a cookie jar sends them.</summary>
internal static class CookieVisitor
{
    /// <summary>A client that sends only the cookies a test gives it.</summary>
    public static HttpClient Client(Uri address) => new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = address };

    /// <summary>One visit: the lane that served it and the Set-Cookie the gateway answered with, if any.</summary>
    public static async Task<(string Lane, string? SetCookie)> VisitAsync(HttpClient client, string path, string? cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var reply = (await response.Content.ReadFromJsonAsync<EchoReply>(EchoReply.JsonOptions))!;
        reply.ReceivedTag.Should().Be(reply.Lane == "base" ? null : reply.Lane);
        var setCookie = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Single() : null;
        return (reply.Lane, setCookie);
    }

    /// <summary>Visits once per entry of <paramref name="cookies"/> (null: a visitor without a cookie), 16 at a time.</summary>
    public static async Task<(string Lane, string? SetCookie)[]> VisitAllAsync(HttpClient client, string path, IReadOnlyList<string?> cookies)
    {
        var results = new (string Lane, string? SetCookie)[cookies.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, cookies.Count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            results[i] = await VisitAsync(client, path, cookies[i]));
        return results;
    }

    /// <summary>The <c>name=value</c> pair a browser sends back for a Set-Cookie value.</summary>
    public static string Pair(string setCookie) => setCookie[..setCookie.IndexOf(';')];
}
