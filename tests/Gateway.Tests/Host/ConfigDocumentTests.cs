using System.Text;
using Gateway.Host.Config;
using Gateway.Routing.Config;

namespace Gateway.Tests.Host;

/// <summary>Parsing the config file: JSON as editors and <c>AddJsonFile</c> allow it, with positions as editors show them.</summary>
public class ConfigDocumentTests
{
    [Fact]
    public void Parse_CommentsAndTrailingCommas_AreAllowed()
    {
        var problems = new List<ConfigProblem>();

        var document = ConfigDocument.Parse(Encoding.UTF8.GetBytes("{ // note\n \"Admin\": { \"Token\": \"t\", }, }"), "gateway.json", problems);

        problems.Should().BeEmpty();
        document!.Section("admin").GetProperty("Token").GetString().Should().Be("t", "section names are case-insensitive");
    }

    /// <summary>Issue 13 item 17: the reader's positions are 0-based; editors and users count from 1.</summary>
    [Fact]
    public void Parse_SyntaxError_ReportsOneBasedLineAndColumn()
    {
        var json = "{\n  \"Admin\": {\n    \"Token\": }\n}";
        var problems = new List<ConfigProblem>();

        ConfigDocument.Parse(Encoding.UTF8.GetBytes(json), "gateway.json", problems).Should().BeNull();

        problems.Select(p => p.ToString()).Should().Equal("gateway.json: line 3, column 14: '}' is an invalid start of a value.");
    }

    /// <summary>
    /// Positions as editors show them: the reader counts lines by LF only (a file with CR line endings had every error
    /// on line 1) and columns in bytes (each Chinese character before the error added two columns).
    /// </summary>
    [Theory]
    [InlineData("{\r  \"Admin\": {\r    \"Token\": }\r}", "line 3, column 14")]
    [InlineData("{\r\n  \"Admin\": {\r\n    \"Token\": }\r\n}", "line 3, column 14")]
    [InlineData("{\n  // 泳道\r  \"Admin\": {\n    \"Token\": \"灰度\", }", "line 4, column 21")]
    [InlineData("{\n  \"Lanes\": { \"TagHeader\": \"泳道\" \"x\" }\n}", "line 2, column 32")]
    public void Parse_SyntaxError_PositionCountsLineEndingsAndCharactersAsEditorsDo(string json, string position)
    {
        var problems = new List<ConfigProblem>();

        ConfigDocument.Parse(Encoding.UTF8.GetBytes(json), "gateway.json", problems).Should().BeNull();

        problems.Should().ContainSingle().Which.ToString().Should().StartWith("gateway.json: " + position + ": ");
    }

    /// <summary>The reader checks UTF-8 lazily: an invalid byte in a string used to throw past every check and stop `validate` and start-up.</summary>
    [Fact]
    public void Compile_InvalidUtf8InAString_IsOneProblemAtItsPosition()
    {
        byte[] json = [.. Encoding.UTF8.GetBytes("{\n  \"Admin\": { \"Token\": \"ab"), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("\" }\n}")];
        var problems = new List<ConfigProblem>();

        var document = ConfigDocument.Parse(json, "gateway.json", problems);
        var compiled = document is null ? null : GatewayConfigLoader.Compile(document, ".", problems);

        compiled.Should().BeNull();
        problems.Select(p => p.ToString()).Should().Equal("gateway.json: line 2, column 26: not UTF-8 text (save the file as UTF-8)");
    }

    /// <summary>An escaped half of a surrogate pair is valid JSON syntax, but reading the string threw past every check.</summary>
    [Theory]
    [InlineData("{\n  \"Lanes\": { \"Groups\": { \"a\\ud800\": {} } }\n}", "line 2, column 26")]
    [InlineData("{\n  \"Admin\": { \"Token\": \"x\\udc00\" }\n}", "line 2, column 23")]
    [InlineData("{ \"Ser\\ud800ilog\": 1 }", "line 1, column 3")]
    public void Compile_LoneSurrogateEscape_IsOneProblemAtItsPosition(string json, string position)
    {
        var problems = new List<ConfigProblem>();

        var document = ConfigDocument.Parse(Encoding.UTF8.GetBytes(json), "gateway.json", problems);
        var compiled = document is null ? null : GatewayConfigLoader.Compile(document, ".", problems);

        compiled.Should().BeNull();
        problems.Select(p => p.ToString()).Should().Equal("gateway.json: " + position + ": a string holds half of a UTF-16 surrogate pair (an escape \\ud800-\\udfff without its other half), which is not text");
    }

    /// <summary>A problem quotes its key and value; a 16 MB key was one 16 MB line in the reload log and in validate.</summary>
    [Fact]
    public void Compile_HugeUnknownKeyAndValue_ProblemIsCut()
    {
        var key = new string('k', 100_000);
        var json = "{ \"Lanes\": { \"" + key + "\": 1, \"TagHeader\": \"" + new string('v', 100_000) + " \" } }";
        var problems = new List<ConfigProblem>();

        var document = ConfigDocument.Parse(Encoding.UTF8.GetBytes(json), "gateway.json", problems);
        var compiled = document is null ? null : GatewayConfigLoader.Compile(document, ".", problems);

        compiled.Should().BeNull();
        problems.Should().HaveCount(2).And.OnlyContain(p => p.ToString().Length < 2_100);
        problems[0].ToString().Should().StartWith("Lanes:kkk").And.Contain("kkk... (99,006 characters) ...kkk")
            .And.EndWith("kkk: unknown setting; expected one of TagHeader, DestinationTagKey, ServedLaneHeader, Baggage, IncomingTag, ClientIp, Groups");
    }

    [Fact]
    public void Parse_EscapedSurrogatePair_IsText()
    {
        var problems = new List<ConfigProblem>();

        var document = ConfigDocument.Parse(Encoding.UTF8.GetBytes("{ \"Admin\": { \"Token\": \"\\ud83d\\ude00\" } }"), "gateway.json", problems);

        problems.Should().BeEmpty();
        document!.Section("Admin").GetProperty("Token").GetString().Should().Be("\U0001F600");
    }

    [Fact]
    public void Parse_Utf8ByteOrderMark_IsSkippedAsAddJsonFileDoes()
    {
        byte[] json = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{ \"Admin\": { \"Token\": \"t\" } }")];
        var problems = new List<ConfigProblem>();

        var document = ConfigDocument.Parse(json, "gateway.json", problems);

        problems.Should().BeEmpty();
        document!.Section("Admin").GetProperty("Token").GetString().Should().Be("t");
    }

    [Fact]
    public void Parse_NoObject_IsOneProblem()
    {
        var problems = new List<ConfigProblem>();

        ConfigDocument.Parse(Encoding.UTF8.GetBytes("[ 1, 2 ]"), "gateway.json", problems).Should().BeNull();

        problems.Select(p => p.ToString()).Should().Equal("gateway.json: the top-level JSON element must be an object, found Array");
    }

    /// <summary>Keys are case-insensitive, so the same key in another case is the same key written twice.</summary>
    [Theory]
    [InlineData("""{ "Lanes": { "Groups": { "g": { "Routes": [] }, "G": { "Routes": [] } } } }""", "Lanes:Groups:G: appears twice (names are case-insensitive)")]
    [InlineData("""{ "Lanes": { "Groups": { "g": { "Lanes": [ { "Name": "a", "Tag": "x", "name": "c" } ] } } } }""", "Lanes:Groups:g:Lanes[0]:name: appears twice (keys are case-insensitive)")]
    [InlineData("""{ "Admin": { "Token": "a", "token": "b" } }""", "Admin:token: appears twice (keys are case-insensitive)")]
    [InlineData("""{ "ReverseProxy": { "Routes": { "r": { "ClusterId": "a", "ClusterId": "b" } } } }""", "ReverseProxy:Routes:r:ClusterId: appears twice (keys are case-insensitive)")]
    [InlineData("""{ "ReverseProxy": { "Routes": { "r": { "ClusterId": "c" }, "R": { "ClusterId": "c" } } } }""", "ReverseProxy:Routes:R: appears twice (ids are case-insensitive)")]
    [InlineData("""{ "Serilog": { "MinimumLevel": "Debug", "minimumlevel": "Error" } }""", "Serilog:minimumlevel: appears twice (keys are case-insensitive)")]
    [InlineData("""{ "Logging": { "LogLevel": { "Default": "Debug", "default": "Error" } } }""", "Logging:LogLevel:default: appears twice (keys are case-insensitive)")]
    [InlineData("""{ "ReverseProxy": { "Routes": { "r": { "ClusterId": "c", "Metadata": { "a": "1", "A": "2" } } } } }""", "ReverseProxy:Routes:r:Metadata: 'A' appears twice (names are case-insensitive)")]
    [InlineData("""{ "ReverseProxy": { "Clusters": { "c": { "Destinations": { "d": { "Address": "http://a/" }, "D": { "Address": "http://b/" } } } } } }""", "ReverseProxy:Clusters:c:Destinations:D: appears twice (names are case-insensitive)")]
    public void Compile_KeyTwiceInAnotherCase_IsAProblemWithItsPath(string json, string expected)
    {
        var problems = new List<ConfigProblem>();
        var document = ConfigDocument.Parse(Encoding.UTF8.GetBytes(json), "gateway.json", problems)!;

        GatewayConfigLoader.Compile(document, ".", problems).Should().BeNull();

        problems.Select(p => p.ToString()).Should().Contain(expected);
    }

    /// <summary>The configuration system sees the host sections too; a key a record reads is still reported once.</summary>
    [Fact]
    public void Compile_KeyTwiceInAHostRecord_ReportedOnce()
    {
        var problems = new List<ConfigProblem>();
        var document = ConfigDocument.Parse(Encoding.UTF8.GetBytes("""{ "Logging": { "Format": "json", "format": "text" } }"""), "gateway.json", problems)!;

        GatewayConfigLoader.Compile(document, ".", problems).Should().BeNull();

        problems.Select(p => p.ToString()).Should().Equal("Logging:format: appears twice (keys are case-insensitive)");
    }

    [Fact]
    public void Revision_HashOfTheBytes()
    {
        Parse("{}").Revision.Should().Be(Parse("{}").Revision).And.MatchRegex("^[0-9a-f]{12}$");
        Parse("{} ").Revision.Should().NotBe(Parse("{}").Revision);
    }

    /// <summary>The config the reload warm-up compiles at start must stay valid as the config format evolves.</summary>
    [Fact]
    public void ReloadWarmupConfig_CompilesWithoutProblems()
    {
        var problems = new List<ConfigProblem>();

        var snapshot = GatewayConfigLoader.Compile(Parse(Gateway.Host.Reload.ReloadWarmup.Config()), AppContext.BaseDirectory, problems);

        problems.Should().BeEmpty();
        snapshot!.Rules.ByRoute.Should().HaveCount(Gateway.Host.Reload.ReloadWarmup.Groups);
    }

    private static ConfigDocument Parse(string json)
    {
        var problems = new List<ConfigProblem>();
        var document = ConfigDocument.Parse(Encoding.UTF8.GetBytes(json), "test", problems);
        problems.Should().BeEmpty();
        return document!;
    }
}
