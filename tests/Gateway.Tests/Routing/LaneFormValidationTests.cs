using System.Text.Json.Nodes;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;
using static Gateway.Tests.Support.RuleForms;

namespace Gateway.Tests.Routing;

/// <summary>Malformed negated, path and method conditions are reported with their paths.</summary>
public sealed class LaneFormValidationTests : IDisposable
{
    private const string Lane0 = "Lanes:Groups:trade:Lanes[0]:";
    private readonly TempDirectory _directory = new();

    private static List<string> Problems(JsonObject match) => [.. RuleHarness.Config(Match("l", "gray", match)).Problems().Select(p => p.ToString())];

    public static TheoryData<JsonObject, string> Malformed => new()
    {
        { Path("Prefix", "api"), Lane0 + "Match:Path:Values[0]: 'api' is not a path; Prefix paths start with '/'" },
        { Path("Exact", "/ok", "no-slash"), Lane0 + "Match:Path:Values[1]: 'no-slash' is not a path; Exact paths start with '/'" },
        { Path("Prefix"), Lane0 + "Match:Path:Values: a Path condition needs at least one value" },
        { Path("Exists", "/a"), Lane0 + "Match:Path:Mode: 'Exists' is not one of Exact, Prefix, Regex" },
        { new JsonObject { ["Path"] = new JsonObject { ["Mode"] = "Exact", ["Values"] = Strings("/a"), ["Value"] = "/a" } }, Lane0 + "Match:Path:Value: unknown setting; did you mean 'Values'?" },
        { Methods("GET", "GE T"), Lane0 + "Match:Methods[1]: 'GE T' is not an HTTP method (e.g. GET, POST)" },
        { SetNot(Not("Headers", "x", "Exists"), "yes"), Lane0 + "Match:Headers[0]:Not: 'yes' is not true or false" },
        { Not("Query", "v", "Exists", "1"), Lane0 + "Match:Query[0]:Values: Mode Exists takes no Values" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Validate_MalformedCondition_ReportedWithItsPath(JsonObject match, string expected)
    {
        Problems(match).Should().Equal(expected);
    }

    [Fact]
    public void Validate_PathRegexTheLinearEngineCannotRun_IsRejected()
    {
        Problems(Path("Regex", "^/(a)\\1$")).Should().ContainSingle().Which.Should().StartWith(Lane0 + "Match:Path:Values[0]: invalid regex");
    }

    [Fact]
    public void Validate_RegexAutomatonOverTheLimit_IsRejected()
    {
        // (a|b){k} unrolls into k nodes; at 500 a 30 KB header of "abab..." took a tenth of a CPU second.
        Problems(Header("x-user-id", "Regex", "(a|b)*a(a|b){500}z")).Should().ContainSingle().Which.Should()
            .StartWith(Lane0 + "Match:Headers[0]:Values[0]: invalid regex").And.Contain("limit of '300'");
        Problems(Header("x-user-id", "Regex", "(a|b)*a(a|b){290}z")).Should().BeEmpty();
        Problems(Path("Regex", "^/api/v[0-9]+/orders/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")).Should().BeEmpty("a UUID path is what lane rules are written with");
    }

    [Fact]
    public async Task ValidateCommand_MalformedNewForms_ExitTwoListingEveryPath()
    {
        var match = Path("Prefix", "api");
        match["Methods"] = Strings("GE T");
        var config = RuleHarness.Config(Match("l", "gray", match), IssuingCookie("v", "gray", 10, maxAgeDays: 500));
        var file = _directory.Write("bad.json", config);

        var (exitCode, _, stderr) = await GatewayProcess.RunToExitAsync("validate", file);

        exitCode.Should().Be(2);
        stderr.Should().Contain(Lane0 + "Match:Path:Values[0]: 'api' is not a path")
            .And.Contain(Lane0 + "Match:Methods[0]: 'GE T' is not an HTTP method")
            .And.Contain("Lanes:Groups:trade:Lanes[1]:IssueCookieMaxAgeDays: 500 is not more than 0 and at most 400 days");
    }

    private static JsonObject SetNot(JsonObject match, string value)
    {
        match["Headers"]![0]!["Not"] = value;
        return match;
    }

    public void Dispose() => _directory.Dispose();
}
