using Gateway.Host.Explain;

namespace Gateway.Tests.Host;

public class ExplainRequestTests
{
    [Theory]
    [InlineData("hedaer=x-user-id:1001", "unknown key 'hedaer'; did you mean 'header'?")]
    [InlineData("path=/api/orders/1&lane=gray", "unknown key 'lane'.")]
    [InlineData("/api/orders/1", "'/api/orders/1' is a bare path; write path=/api/orders/1.")]
    [InlineData("/api/orders/1?x=1", "'/api/orders/1?x=1' is a bare path; write path=/api/orders/1?x=1.")]
    [InlineData("method=GET&orders", "'orders' is not KEY=VALUE.")]
    [InlineData("path=orders", "path 'orders' must start with '/'.")]
    [InlineData("header=x-user-id", "header 'x-user-id' is not NAME:VALUE.")]
    [InlineData("clientIp=nope", "clientIp 'nope' is not an IP address.")]
    public void TryParse_MalformedDescription_FailsListingTheValidForms(string description, string problem)
    {
        var parsed = ExplainRequest.TryParse(description, out _, out var error);

        parsed.Should().BeFalse();
        error.Should().Be(problem + " " + ExplainRequest.ValidForms);
        error.Should().Contain("method=").And.Contain("path=").And.Contain("host=").And.Contain("header=NAME:VALUE").And.Contain("clientIp=");
    }

    [Fact]
    public void TryParse_EveryKey_FillsTheRequest()
    {
        var parsed = ExplainRequest.TryParse(
            "?method=POST&path=/api/orders/1?lane=x&host=shop.example&header=x-user-id:1001&HEADER=Cookie:account=qa-7&clientIp=10.1.2.3",
            out var context, out var error);

        (parsed, error).Should().Be((true, ""));
        var request = context.Request;
        (request.Method, request.Path.Value, request.QueryString.Value, request.Host.Value).Should().Be(("POST", "/api/orders/1", "?lane=x", "shop.example"));
        ((string?)request.Headers["x-user-id"], (string?)request.Headers.Cookie).Should().Be(("1001", "account=qa-7"));
        context.Connection.RemoteIpAddress!.ToString().Should().Be("10.1.2.3");
    }
}
