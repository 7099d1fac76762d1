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

    /// <summary>A pasted password holding a URL delimiter, a quote or a space once showed in part or in full.</summary>
    [Theory]
    [InlineData("'http://svc:pa/ss@10.0.0.1/' is not valid", "'http://[redacted]@10.0.0.1/' is not valid")]
    [InlineData("'http://svc:pa?ss@10.0.0.2/' is not valid", "'http://[redacted]@10.0.0.2/' is not valid")]
    [InlineData("'http://svc:pa#ss@10.0.0.3/' is not valid", "'http://[redacted]@10.0.0.3/' is not valid")]
    [InlineData("'http://svc:pa ss@10.0.0.4/' is not valid", "'http://[redacted]@10.0.0.4/' is not valid")]
    [InlineData("'http://svc:pa'ss@10.0.0.5/' is not valid", "'http://[redacted]@10.0.0.5/' is not valid")]
    [InlineData("http://svc:pa\"ss@10.0.0.6:4317", "http://[redacted]@10.0.0.6:4317")]
    [InlineData("http://:pa/s?s#s@collector:4317/v1", "http://[redacted]@collector:4317/v1")]
    [InlineData("http://user:p@ss/wo?rd@host/", "http://[redacted]@host/")]
    [InlineData("http://127.0.0.1:80;http://svc:pa/ss@h:81", "http://127.0.0.1:80;http://[redacted]@h:81")]
    public void Redact_PasswordWithADelimiterQuoteOrSpace_HidesAllOfIt(string text, string expected)
    {
        UrlCredentials.Redact(text).Should().Be(expected);
    }

    /// <summary>
    /// With user information, an '@' in the path may end the password as well: the host is hidden with it rather than
    /// risking the rest of a password (<c>http://user:p@ss/word@host/</c> reads the same way).
    /// </summary>
    [Fact]
    public void Redact_UserInformationAndAnAtInThePath_HidesUpToTheLastAt()
    {
        UrlCredentials.Redact("'http://user:pw@host/a@b' is not valid").Should().Be("'http://[redacted]@b' is not valid");
    }

    /// <summary>A URL whose authority is not a host and port is broken: up to a later '@' in its sentence may be a password.</summary>
    [Fact]
    public void Redact_MalformedAuthorityAndAnAtLaterInTheLine_HidesUpToIt()
    {
        UrlCredentials.Redact("'http://svc:pa ss' is not valid, see ops@10.0.0.1\nnext line a@b").Should().Be("'http://[redacted]@10.0.0.1\nnext line a@b");
    }

    /// <summary>A scheme separator right after an authority (<c>proxy://x://user:pw@host</c>) once hid the second URL's credentials from the scan.</summary>
    [Fact]
    public void Redact_SchemeSeparatorRightAfterAnAuthority_StillHidesTheNextUrlsCredentials()
    {
        var problem = new ConfigProblem("Lanes:ClientIp:CityDatabase", "'proxy://x://user:pw@host/' is not a file");

        problem.Message.Should().NotContain("pw").And.Contain("x://[redacted]@host/");
    }

    [Theory]
    [InlineData("http://127.0.0.1:5001/ and mailto:x@y")]
    [InlineData("'http://host:8080/p?x=a@b.c' is not valid")]
    [InlineData("http://host/a@b")]
    [InlineData("https://orders.shop.svc.cluster.local/#a@b")]
    [InlineData("http://[::1]:9901/a@b;http://*:8080/c@d;http://+:80/e@f")]
    [InlineData("'http://svc:notaport/' is not an absolute http or https address")]
    [InlineData("http://bücher.example:8080/user@example.com")]
    public void Redact_NoUserInformation_ReturnsTheSameString(string text)
    {
        UrlCredentials.Redact(text).Should().BeSameAs(text);
    }
}
