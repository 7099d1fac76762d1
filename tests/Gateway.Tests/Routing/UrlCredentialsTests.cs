using Gateway.Routing.Config;

namespace Gateway.Tests.Routing;

public class UrlCredentialsTests
{
    [Theory]
    [InlineData("'http://user:pw@collector:4317/v1' is not valid", "'http://[redacted]@collector:4317/v1' is not valid")]
    [InlineData("http://user:p@ss@host/", "http://[redacted]@host/")]
    [InlineData("a http://u:pw@h and ftp://v:pw2@i", "a http://[redacted]@h and ftp://[redacted]@i")]
    [InlineData("http://[redacted]@host", "http://[redacted]@host")]
    public void Redact_UrlsWithUserInformation_HidesIt(string text, string expected)
    {
        UrlCredentials.Redact(text).Should().Be(expected);
    }

    /// <summary>A scheme separator right after an authority (<c>proxy://x://user:pw@host</c>) once hid the second URL's credentials from the scan.</summary>
    [Fact]
    public void Redact_SchemeSeparatorRightAfterAnAuthority_StillHidesTheNextUrlsCredentials()
    {
        var problem = new ConfigProblem("Lanes:ClientIp:CityDatabase", "'proxy://x://user:pw@host/' is not a file");

        problem.Message.Should().NotContain("pw").And.Contain("x://[redacted]@host/");
    }

    [Fact]
    public void Redact_NoUserInformation_ReturnsTheSameString()
    {
        var text = "http://127.0.0.1:5001/ and mailto:x@y";

        UrlCredentials.Redact(text).Should().BeSameAs(text);
    }
}
