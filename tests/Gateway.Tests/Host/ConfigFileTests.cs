using System.Diagnostics;
using Gateway.Host.Config;
using Gateway.Routing.Config;
using Gateway.Tests.Support;

namespace Gateway.Tests.Host;

/// <summary>
/// Issue 13 item 4: only a regular file within the size limit is read as config. A FIFO hung <c>validate</c> and start
/// forever, <c>/dev/zero</c> or a huge file exhausted memory; each is now a problem naming the path, found at once.
/// </summary>
public sealed class ConfigFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public static TheoryData<string, string> NotConfigFiles() => new()
    {
        { "fifo", "is a FIFO (named pipe), not a regular file" },
        { "/dev/zero", "is a character device, not a regular file" },
        { "directory", "is a directory, not a regular file" },
        { "huge", "is larger than 16 MB, the limit for a config file" },
        { "missing", "does not exist" },
    };

    [Theory]
    [MemberData(nameof(NotConfigFiles))]
    public async Task Load_NotARegularFileWithinTheLimit_IsOneProblemWithThePath(string kind, string expected)
    {
        var path = Make(kind);
        var problems = new List<ConfigProblem>();
        var clock = Stopwatch.StartNew();

        var document = await Task.Run(() => GatewayConfigLoader.Load(GatewayConfigSource.FromFile(path), problems)).WaitAsync(TimeSpan.FromSeconds(10));

        document.Should().BeNull();
        problems.Should().ContainSingle().Which.ToString().Should().Contain(path).And.Contain(expected);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Load_SymlinkToARegularFile_IsRead()
    {
        var file = _directory.Write("real.json", "{}");
        var link = Path.Combine(_directory.Path, "gateway.json");
        File.CreateSymbolicLink(link, file);
        var problems = new List<ConfigProblem>();

        var document = await Task.Run(() => GatewayConfigLoader.Load(GatewayConfigSource.FromFile(link), problems)).WaitAsync(TimeSpan.FromSeconds(10));

        problems.Should().BeEmpty();
        document.Should().NotBeNull();
    }

    [Fact]
    public async Task ValidateAndStart_Fifo_ExitTwoNamingThePath()
    {
        var fifo = Make("fifo");

        var validate = await GatewayProcess.RunToExitAsync("validate", fifo).WaitAsync(TimeSpan.FromSeconds(60));
        var start = await GatewayProcess.RunToExitAsync("--config", fifo, "--urls", "http://127.0.0.1:0", "--Admin:Urls", "http://127.0.0.1:0").WaitAsync(TimeSpan.FromSeconds(60));

        validate.ExitCode.Should().Be(2);
        validate.StdErr.Should().Contain(fifo + "' is a FIFO");
        start.ExitCode.Should().Be(2);
        start.StdErr.Should().Contain(fifo + "' is a FIFO");
    }

    public void Dispose() => _directory.Dispose();

    private string Make(string kind)
    {
        var path = Path.Combine(_directory.Path, kind + ".json");
        switch (kind)
        {
            case "fifo":
                SpecialFiles.MakeFifo(path);
                return path;
            case "/dev/zero":
                return kind;
            case "directory":
                Directory.CreateDirectory(path);
                return path;
            case "huge":
                SpecialFiles.MakeSparse(path, 1L << 30);
                return path;
            default:
                return path;
        }
    }
}
