using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Functional;

/// <summary>
/// The city database path may name a file that is not ours (a credentials file, by mistake or on purpose): what the
/// gateway reports about it names the file, line and field, and never repeats what the file says.
/// </summary>
public sealed class CityDatabaseDisclosureTests : IDisposable
{
    private const string Secret = "S3cr3tPassw0rd!";

    private readonly TempDirectory _directory = new();

    private string SecretFile() => _directory.Write("credentials.csv", "db_user," + Secret + ",x,y,z\n");

    private static GatewayConfigBuilder Config(string? cityDatabase) =>
        RuleHarness.Config(Match("guangdong", "gray", new System.Text.Json.Nodes.JsonObject { ["Cities"] = Strings("guangdong") }))
            .Set("Lanes:ClientIp:CityDatabase", cityDatabase)
            .Set("Lanes:ClientIp:TrustedProxies", Strings("10.0.0.0/8"));

    [Fact]
    public async Task Validate_SecretInCityDatabase_IsNotPrinted()
    {
        var file = _directory.Write("gateway.json", Config(SecretFile()));

        var (exitCode, stdout, stderr) = await GatewayProcess.RunToExitAsync("validate", file);

        exitCode.Should().Be(2);
        stderr.Should().Contain("credentials.csv' line 1, field 1 (start_ip): not an IP address");
        (stdout + stderr).Should().NotContain(Secret).And.NotContain("db_user");
    }

    [Fact]
    public async Task Reload_SecretInCityDatabase_IsNeitherLoggedNorShownInAdminConfig()
    {
        using var logs = new CapturingLoggerProvider();
        var file = _directory.Write("gateway.json", Config(null));
        await using var gateway = await TestGateway.StartFromFileAsync(file, builder => builder.Logging.AddProvider(logs));

        File.WriteAllText(file, Config(SecretFile()).ToJson());
        var admin = await Eventually.ValueAsync(() => gateway.Admin.GetStringAsync("/admin/config"), s => s.Contains("\"failure\"", StringComparison.Ordinal));

        admin.Should().Contain("credentials.csv' line 1, field 1 (start_ip): not an IP address").And.NotContain(Secret).And.NotContain("db_user");
        logs.Entries.Should().Contain(e => e.EventId.Id == 3001);
        logs.Entries.Should().NotContain(e => e.Message.Contains(Secret, StringComparison.Ordinal)
            || e.State.Any(kv => kv.Value != null && kv.Value.ToString()!.Contains(Secret, StringComparison.Ordinal)));
    }

    public void Dispose() => _directory.Dispose();
}
