using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Gateway.Routing.Config;
using Gateway.Routing.Rules;
using Gateway.Routing.Tagging;
using Gateway.Tests.Support;
using Microsoft.AspNetCore.Http;
using static Gateway.Tests.Support.LaneSpec;
using static Gateway.Tests.Support.RuleForms;

namespace Gateway.Tests.Routing;

/// <summary><c>IssueCookie</c>: a cookieless request gets a random id as its sticky key, sent back in Set-Cookie.</summary>
public class IssuedCookieTests
{
    private const string Attributes = "; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax";

    private static (LaneDecision Decision, string? SetCookie) Decide(GatewaySnapshot snapshot, HttpContext context, RandomNumberGenerator ids, Random? random = null)
    {
        var decision = snapshot.Decide(context, RuleHarness.RouteId, random ?? new ScriptedRandom(0), ids, out var setCookie);
        return (decision, setCookie);
    }

    private static HttpContext WithCookie(string id) => Requests.WithHeaders(("Cookie", "sid=" + id));

    [Fact]
    public void Decide_NoCookie_IssuesTheDrawnIdAndUsesItAsTheKey()
    {
        var snapshot = RuleHarness.Snapshot(IssuingCookie("visitors", "gray", 50));
        for (byte fill = 0; fill < 40; fill++)
        {
            var random = new ScriptedRandom(0);

            var (decision, setCookie) = Decide(snapshot, Requests.Create(), new ScriptedCookieIds(fill), random);

            var id = ScriptedCookieIds.IdOf(fill);
            setCookie.Should().Be("sid=" + id + Attributes);
            decision.Tag.Should().Be(snapshot.Decide(WithCookie(id)).Tag, "the request is placed as it will be when it comes back with the cookie");
            random.Calls.Should().Be(0, "the issued id is the key: no random draw");
        }
    }

    [Fact]
    public void Decide_CookiePresent_IssuesNothing()
    {
        var snapshot = RuleHarness.Snapshot(IssuingCookie("visitors", "gray", 50));
        var ids = new ScriptedCookieIds(1);

        var (_, setCookie) = Decide(snapshot, WithCookie("abc"), ids);

        (setCookie, ids.Calls).Should().Be(((string?)null, 0));
    }

    [Fact]
    public void Decide_EmptyCookie_IsReplaced()
    {
        var snapshot = RuleHarness.Snapshot(IssuingCookie("visitors", "gray", 50));

        var (_, setCookie) = Decide(snapshot, WithCookie(""), new ScriptedCookieIds(1));

        setCookie.Should().StartWith("sid=" + ScriptedCookieIds.IdOf(1) + ";");
    }

    [Fact]
    public void Decide_OverHttpsWithMaxAge_SecureAndThatLifetime()
    {
        var snapshot = RuleHarness.Snapshot(IssuingCookie("visitors", "gray", 50, maxAgeDays: 7));
        var context = Requests.Create();
        context.Request.Scheme = "https";

        var (_, setCookie) = Decide(snapshot, context, new ScriptedCookieIds(2));

        setCookie.Should().Be("sid=" + ScriptedCookieIds.IdOf(2) + "; Path=/; Max-Age=604800; HttpOnly; SameSite=Lax; Secure");
    }

    [Fact]
    public void Decide_LanesSharingTheCookie_ShareOneId()
    {
        // The second lane is keyed by the same cookie without IssueCookie of its own: it uses the id the first issued.
        var snapshot = RuleHarness.Snapshot(IssuingCookie("a", "gray", 10), Percentage("b", "blue", 30, "cookie:sid"));
        var fill = Enumerable.Range(0, 256).Select(f => (byte)f).First(f => snapshot.Decide(WithCookie(ScriptedCookieIds.IdOf(f))).Tag == "blue");
        var ids = new ScriptedCookieIds(fill, 0xEE);

        var (decision, setCookie) = Decide(snapshot, Requests.Create(), ids);

        (decision.Tag, ids.Calls).Should().Be(("blue", 1));
        setCookie.Should().Be("sid=" + ScriptedCookieIds.IdOf(fill) + Attributes);
    }

    [Fact]
    public void Decide_WithoutAnIdSource_RandomDrawAndNoCookie()
    {
        var snapshot = RuleHarness.Snapshot(IssuingCookie("visitors", "gray", 50));
        var random = new ScriptedRandom(0);

        var decision = snapshot.Decide(Requests.Create(), RuleHarness.RouteId, random, null, out var setCookie);

        (decision.Tag, setCookie, random.Calls).Should().Be(("gray", (string?)null, 1));
    }

    [Fact]
    public void NewId_CryptographicSource_128BitsInCookieSafeCharacters()
    {
        using var random = RandomNumberGenerator.Create();

        var ids = Enumerable.Range(0, 1_000).Select(_ => IssuedCookie.NewId(random)).ToList();

        ids.Should().OnlyHaveUniqueItems().And.OnlyContain(id => id.Length == 22 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'));
    }

    public static TheoryData<JsonObject[], string> Misuses => new()
    {
        { [Lane(Percentage("v", "gray", 50, "header:x-user-id"), issue: true)], "Lanes:Groups:trade:Lanes[0]:IssueCookie: IssueCookie needs a percentage lane with StickyKey cookie:NAME; this lane's StickyKey is 'header:x-user-id'" },
        { [Lane(Match("v", "gray", Header("x", "Exists")), issue: true)], "Lanes:Groups:trade:Lanes[0]:IssueCookie: IssueCookie needs a percentage lane with StickyKey cookie:NAME" },
        { [Lane(Percentage("v", "gray", 50, "cookie:sid"), days: 5)], "Lanes:Groups:trade:Lanes[0]:IssueCookieMaxAgeDays: IssueCookieMaxAgeDays is only used with IssueCookie: true" },
        { [IssuingCookie("v", "gray", 50, maxAgeDays: 0)], "Lanes:Groups:trade:Lanes[0]:IssueCookieMaxAgeDays: 0 is not more than 0 and at most 400 days (browsers cap a cookie's lifetime at 400 days)" },
        { [IssuingCookie("v", "gray", 50, maxAgeDays: 401)], "Lanes:Groups:trade:Lanes[0]:IssueCookieMaxAgeDays: 401 is not more than 0 and at most 400 days (browsers cap a cookie's lifetime at 400 days)" },
        { [IssuingCookie("v", "gray", 50, cookie: "s/id")], "Lanes:Groups:trade:Lanes[0]:StickyKey: 's/id' cannot be issued as a cookie name (an HTTP token: letters, digits and !#$%&'*+-.^_`|~)" },
        { [IssuingCookie("a", "gray", 10), IssuingCookie("b", "blue", 10, cookie: "other")], "Lanes:Groups:trade:Lanes[1]:IssueCookie: a group issues at most one cookie; lane 'a' issues 'sid'" },
        { [IssuingCookie("a", "gray", 10), IssuingCookie("b", "blue", 10, maxAgeDays: 7)], "Lanes:Groups:trade:Lanes[1]:IssueCookieMaxAgeDays: lanes issuing cookie 'sid' need the same IssueCookieMaxAgeDays; lane 'a' has 30" },
    };

    [Theory]
    [MemberData(nameof(Misuses))]
    public void Validate_Misuse_ReportedWithItsPath(JsonObject[] lanes, string expected)
    {
        var problems = RuleHarness.Config(lanes).Problems().Select(p => p.ToString());

        problems.Should().Equal(expected);
    }

    private static JsonObject Lane(JsonObject lane, bool issue = false, double? days = null)
    {
        if (issue)
        {
            lane["IssueCookie"] = true;
        }

        if (days is not null)
        {
            lane["IssueCookieMaxAgeDays"] = days;
        }

        return lane;
    }
}
