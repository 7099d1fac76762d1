using System.Text;
using System.Text.Json;
using Gateway.Host.Admin;

namespace Gateway.Tests.Host;

public class ConfigRedactorTests
{
    private const string Config = """
        {
          // comments and trailing commas are allowed in the config file
          "Admin": { "Urls": "http://127.0.0.1:9901", "Token": "tok-admin" },
          "ConnectionStrings": { "Main": "Server=db;Password=pw-conn" },
          "Serilog": { "WriteTo": [ { "Name": "Seq", "Args": { "serverUrl": "https://seq:5341", "apiKey": "key-seq" } } ] },
          "Telemetry": { "Otlp": { "Endpoint": "http://user:pw-url@collector:4317/v1" } },
          "ReverseProxy": {
            "Routes": { "orders": { "ClusterId": "orders", "Match": { "Path": "/api/orders/{**rest}" },
              "Transforms": [ { "RequestHeader": "Authorization", "Set": "Bearer tok-transform" }, { "RequestHeader": "x-env", "Set": "prod" } ] } },
            "Clusters": { "orders": { "Destinations": { "orders-1": { "Address": "http://127.0.0.1:5001/" } } } },
          },
          "Lanes": { "Groups": { "trade": { "Routes": [ "orders" ], "Lanes": [
            { "Name": "internal", "Tag": "gray", "Match": { "Headers": [ { "Name": "X-Api-Key", "Values": [ "key-rule" ] } ] } },
            { "Name": "secret-beta", "Tag": "beta", "Match": { "Headers": [ { "Name": "x-user-id", "Values": [ "1001" ] } ] } },
          ] } } },
          "Client_Secret": "cs-1", "db-password": "pw-2", "private.key": "pk-3", "Credentials": { "User": "u", "Pass": "cred-4" },
        }
        """;

    [Fact]
    public void Redact_ConfigWithSecrets_ReplacesEverySecretAndKeepsTheRest()
    {
        var redacted = ConfigRedactor.Redact(Encoding.UTF8.GetBytes(Config))!.Value;

        var text = redacted.GetRawText();
        foreach (var secret in new[] { "tok-admin", "pw-conn", "key-seq", "pw-url", "tok-transform", "key-rule", "cs-1", "pw-2", "cred-4" })
        {
            text.Should().NotContain(secret);
        }

        redacted.GetProperty("Admin").GetProperty("Token").GetString().Should().Be(ConfigRedactor.Redacted);
        redacted.GetProperty("Admin").GetProperty("Urls").GetString().Should().Be("http://127.0.0.1:9901");
        redacted.GetProperty("Telemetry").GetProperty("Otlp").GetProperty("Endpoint").GetString().Should().Be("http://[redacted]@collector:4317/v1");
        var transforms = redacted.GetProperty("ReverseProxy").GetProperty("Routes").GetProperty("orders").GetProperty("Transforms");
        transforms[0].GetProperty("RequestHeader").GetString().Should().Be("Authorization");
        transforms[1].GetProperty("Set").GetString().Should().Be("prod");
        var lanes = redacted.GetProperty("Lanes").GetProperty("Groups").GetProperty("trade").GetProperty("Lanes");
        (lanes[1].GetProperty("Name").GetString(), lanes[1].GetProperty("Tag").GetString()).Should().Be(("secret-beta", "beta"), "a lane's name is not a header's");
        text.Should().Contain("1001").And.Contain("/api/orders/{**rest}").And.Contain("http://127.0.0.1:5001/").And.Contain("https://seq:5341");
    }

    /// <summary>Credentials under keys whose names say nothing: free-form metadata, a session cookie sent by a transform.</summary>
    [Fact]
    public void Redact_CredentialsUnderPlainNames_AreReplaced()
    {
        const string Json = """
            { "ReverseProxy": {
                "Routes": { "r": { "ClusterId": "c", "Transforms": [ { "RequestHeader": "Cookie", "Set": "session=ck-1" }, { "ResponseHeader": "set-cookie", "Append": "sid=ck-2" } ] } },
                "Clusters": { "c": { "Destinations": { "d": { "Address": "http://127.0.0.1:5001/",
                  "Metadata": { "auth": "Bearer md-3", "db": "Server=db;User Id=app;Pwd=md-4", "basic": "basic md-5", "team": "Bearer", "lane": "gray" } } } } } } }
            """;

        var redacted = ConfigRedactor.Redact(Encoding.UTF8.GetBytes(Json))!.Value;

        var text = redacted.GetRawText();
        foreach (var secret in new[] { "ck-1", "ck-2", "md-3", "md-4", "md-5" })
        {
            text.Should().NotContain(secret);
        }

        text.Should().Contain("\"lane\":\"gray\"").And.Contain("\"team\":\"Bearer\"").And.Contain("\"RequestHeader\":\"Cookie\"");
    }

    [Theory]
    [InlineData("{ \"Lanes\": ")]
    [InlineData("")]
    public void Redact_NotJson_IsNull(string content)
    {
        ConfigRedactor.Redact(Encoding.UTF8.GetBytes(content)).Should().BeNull();
    }
}
