using System.Collections;
using System.Text.Json.Nodes;
using Gateway.Routing.Config;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Routing;

/// <summary>
/// Every property of <see cref="MatchOptions"/> is a condition kind that compiles itself. A kind that compiled to
/// nothing would drop a lane's condition without a word, and the lane would take requests it must not.
/// </summary>
public class ConditionKindsTests
{
    private const string Lane0 = "Lanes:Groups:trade:Lanes[0]:Match:";

    /// <summary>A valid value of each kind; a new kind needs one here, so the tests below cover it.</summary>
    private static readonly Dictionary<string, JsonNode> Samples = new()
    {
        ["Headers"] = new JsonArray(Condition("x-user-id", "Exact", ["1001"])),
        ["Cookies"] = new JsonArray(Condition("uid", "Exact", ["42"])),
        ["Query"] = new JsonArray(Condition("env", "Exact", ["gray"])),
        ["Path"] = new JsonObject { ["Mode"] = "Prefix", ["Values"] = Strings("/orders") },
        ["Methods"] = Strings("GET"),
        ["ClientNetworks"] = Strings("10.0.0.0/8"),
        ["Cities"] = Strings("guangzhou"),
    };

    public static TheoryData<string> Kinds => [.. KindNames];

    private static IEnumerable<string> KindNames => typeof(MatchOptions).GetProperties().Select(p => p.Name);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Compile_KindWithABlankItem_IsReportedAtTheKindsPath(string kind)
    {
        var match = new JsonObject { [kind] = Blank(typeof(MatchOptions).GetProperty(kind)!.PropertyType) };

        var problems = RuleHarness.Config(Match("l", "gray", match)).Problems();

        problems.Should().NotBeEmpty(kind + " must check its values")
            .And.OnlyContain(p => p.Path.StartsWith(Lane0 + kind, StringComparison.Ordinal) && !p.Message.StartsWith("unknown setting", StringComparison.Ordinal));
    }

    /// <summary>The kinds are tried in the order <see cref="MatchOptions"/> declares them, which explain output shows.</summary>
    [Fact]
    public void Compile_EveryKindSet_YieldsOneConditionEachInDeclarationOrder()
    {
        var match = new JsonObject();
        foreach (var (kind, sample) in Samples)
        {
            match[kind] = sample.DeepClone();
        }

        var snapshot = RuleHarness.Config(Match("l", "gray", match)).Set("Lanes:ClientIp:TrustedProxies", Strings("10.0.0.0/8")).BuildSnapshot();

        Samples.Keys.Should().BeEquivalentTo(KindNames, "every kind needs a sample");
        snapshot.Rules.ByRoute[RuleHarness.RouteId].Lanes[0].Conditions.Select(c => c.GetType().Name).Should()
            .Equal("HeaderRule", "CookieRule", "QueryRule", "PathRule", "MethodRule", "ClientNetworkRule", "CityRule");
    }

    [Fact]
    public void Compile_EveryKindAnEmptyList_LaneHasNoMatch()
    {
        var match = new JsonObject { ["Headers"] = new JsonArray(), ["Methods"] = new JsonArray(), ["Cities"] = new JsonArray() };

        var problems = RuleHarness.Config(Match("l", "gray", match)).Problems();

        problems.Select(p => p.ToString()).Should().Equal(
            "Lanes:Groups:trade:Lanes[0]: lane 'l' has no Match and no Percentage, so it would take every request; use Percentage: 100 to mean that");
    }

    /// <summary>A list with one blank item, or a blank object: what a kind must refuse rather than compile.</summary>
    private static JsonNode Blank(Type kind) =>
        !typeof(IEnumerable).IsAssignableFrom(kind) ? new JsonObject()
        : kind.GetInterfaces().Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IList<>)).GetGenericArguments()[0] == typeof(string)
            ? new JsonArray(JsonValue.Create(""))
            : new JsonArray(new JsonObject());
}
