using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.RuleForms;

namespace Gateway.Tests.Functional;

/// <summary>Anonymous visitors get a sticky cookie from the gateway and stay in their lane with it: across processes and ramps.</summary>
public sealed class IssuedCookieRoutingTests : IDisposable
{
    private const int Visitors = 2_000;
    private readonly TempDirectory _directory = new();

    private static GatewayConfigBuilder Config(BackendSet orders, double percentage) =>
        orders.AddTo(new GatewayConfigBuilder()).Group("web", ["orders"], IssuingCookie("visitors", "gray", percentage));

    [Fact]
    public async Task CookielessVisitors_GetACookieAndTheLaneShare_AndKeepTheirLaneWithIt()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        await using var gateway = await TestGateway.StartAsync(Config(orders, 20));
        using var client = CookieVisitor.Client(gateway.Address);

        var first = await CookieVisitor.VisitAllAsync(client, "/orders/1", new string?[Visitors]);
        var again = await CookieVisitor.VisitAllAsync(client, "/orders/1", [.. first.Select(v => CookieVisitor.Pair(v.SetCookie!))]);

        first.Should().OnlyContain(v => v.SetCookie != null && v.SetCookie.EndsWith("; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax", StringComparison.Ordinal));
        first.Select(v => v.SetCookie).Should().OnlyHaveUniqueItems();
        // 20 % of 2,000 visitors: binomial sd = sqrt(2000 * 0.2 * 0.8) = 17.9; +/- 72 is 4 sd, so a fair draw
        // passes, while a share computed wrongly (e.g. every visitor re-drawn on each lane, or 10 % / 30 %) misses.
        first.Count(v => v.Lane == "gray").Should().BeCloseTo(400, 72);
        again.Select(v => v.Lane).Should().Equal(first.Select(v => v.Lane), "a visitor keeping the cookie stays in the lane of its first visit");
        again.Should().OnlyContain(v => v.SetCookie == null, "a visitor with the cookie is not given another");
    }

    [Fact]
    public async Task IssuedCookie_KeepsTheVisitorsLane_OnASecondProcessAndThroughARampUp()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        var file = _directory.Write("gateway.json", Config(orders, 20));
        await using var first = await GatewayProcess.StartAsync("--config", file);
        await using var second = await GatewayProcess.StartAsync("--config", file);
        using var firstClient = CookieVisitor.Client(first.Address);
        using var secondClient = CookieVisitor.Client(second.Address);
        using var secondAdmin = new HttpClient { BaseAddress = second.AdminAddress };

        var issued = await CookieVisitor.VisitAllAsync(firstClient, "/orders/1", new string?[Visitors]);
        var cookies = issued.Select(v => CookieVisitor.Pair(v.SetCookie!)).ToArray();
        var onSecond = await CookieVisitor.VisitAllAsync(secondClient, "/orders/1", cookies);
        var revision = (await secondAdmin.GetFromJsonAsync<JsonElement>("/admin/config")).GetProperty("revision").GetString();
        File.WriteAllText(file, Config(orders, 50).ToJson());
        await Eventually.ValueAsync(
            async () => (await secondAdmin.GetFromJsonAsync<JsonElement>("/admin/config")).GetProperty("revision").GetString(), r => r != revision);
        var ramped = await CookieVisitor.VisitAllAsync(secondClient, "/orders/1", cookies);

        onSecond.Select(v => v.Lane).Should().Equal(issued.Select(v => v.Lane), "the cookie's id is the key on every replica");
        var moves = issued.Zip(ramped, (before, after) => (Before: before.Lane, After: after.Lane)).ToList();
        moves.Where(m => m.Before == "gray").Should().OnlyContain(m => m.After == "gray", "a ramp up moves nobody out of the lane");
        // 2,000 visitors: sd 17.9 at 20 %, 22.4 at 50 %; +/- 90 is 4 sd or more.
        (issued.Count(v => v.Lane == "gray"), ramped.Count(v => v.Lane == "gray")).Should().Match<(int Before, int After)>(
            counts => Math.Abs(counts.Before - 400) <= 90 && Math.Abs(counts.After - 1_000) <= 90);
        ramped.Should().OnlyContain(v => v.SetCookie == null);
    }

    [Fact]
    public async Task TwoLanesSharingTheCookie_OneIdOneSetCookie_ExactShares()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray", "blue");
        var config = orders.AddTo(new GatewayConfigBuilder())
            .Group("web", ["orders"], IssuingCookie("a", "gray", 10), LaneSpec.Percentage("b", "blue", 10, "cookie:sid"));
        await using var gateway = await TestGateway.StartAsync(config);
        using var client = CookieVisitor.Client(gateway.Address);

        // VisitAsync takes the single Set-Cookie of each response: a second one would fail the visit.
        var first = await CookieVisitor.VisitAllAsync(client, "/orders/1", new string?[Visitors]);
        var again = await CookieVisitor.VisitAllAsync(client, "/orders/1", [.. first.Select(v => CookieVisitor.Pair(v.SetCookie!))]);

        // 10 % of 2,000: sd = sqrt(2000 * 0.1 * 0.9) = 13.4; +/- 54 is 4 sd. Lane b keeps its exact 10 % of all
        // visitors (not 10 % of the 90 % lane a left, 180), because both lanes hash the same issued id.
        first.Count(v => v.Lane == "gray").Should().BeCloseTo(200, 54);
        first.Count(v => v.Lane == "blue").Should().BeCloseTo(200, 54);
        again.Select(v => v.Lane).Should().Equal(first.Select(v => v.Lane));
    }

    [Fact]
    public async Task StrictLaneWithoutInstance_ItsOwn503_StillCarriesTheCookie()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        var lane = IssuingCookie("visitors", "blue", 100);
        lane["Fallback"] = "Reject";
        await using var gateway = await TestGateway.StartAsync(orders.AddTo(new GatewayConfigBuilder()).Group("web", ["orders"], lane));
        using var client = CookieVisitor.Client(gateway.Address);

        using var response = await client.GetAsync("/orders/1");

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.ServiceUnavailable);
        response.Headers.GetValues("Set-Cookie").Should().ContainSingle().Which.Should().StartWith("sid=");
    }

    public void Dispose() => _directory.Dispose();
}
