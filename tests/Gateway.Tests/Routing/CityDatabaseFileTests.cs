using System.Diagnostics;
using Gateway.Routing.Clients;
using Gateway.Tests.Support;

namespace Gateway.Tests.Routing;

/// <summary>
/// The city database path may point at anything: only a regular file within the size limit is read, streamed, and
/// problems name the file, line and field, never a line's content.
/// </summary>
public sealed class CityDatabaseFileTests : IDisposable
{
    private const string Secret = "S3cr3tPassw0rd!";

    private readonly TempDirectory _directory = new();

    /// <summary>Loads on another thread so that a hang fails the test instead of stalling the run.</summary>
    private static async Task<List<string>> LoadWithinSecondsAsync(string file, long maxBytes = CityDatabase.MaxBytes)
    {
        var errors = new List<string>();
        var stopwatch = Stopwatch.StartNew();

        var database = await Task.Run(() => CityDatabase.Load(file, errors, maxBytes)).WaitAsync(TimeSpan.FromSeconds(10));

        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        database.Should().BeNull();
        return errors;
    }

    private async Task<string> MakeFifoAsync()
    {
        var fifo = Path.Combine(_directory.Path, "cities.fifo");
        using var mkfifo = Process.Start("mkfifo", [fifo]);
        await mkfifo.WaitForExitAsync();
        return fifo;
    }

    [Fact]
    public async Task Load_SecretLookingLine_NamesFileLineAndFieldNotTheContent()
    {
        var file = _directory.Write("cities.csv", "start_ip,end_ip,city,province,country\n1.0.0.0,1.0.0.9,a,p,cn\ndb_user," + Secret + ",x,y,z\n");

        var errors = await LoadWithinSecondsAsync(file);

        errors.Should().Equal("'" + file + "' line 3, field 1 (start_ip): not an IP address");
    }

    [Fact]
    public async Task Load_Fifo_IsRefusedAtOnceWithItsPath()
    {
        var fifo = await MakeFifoAsync();

        var errors = await LoadWithinSecondsAsync(fifo);

        errors.Should().Equal("'" + fifo + "' is a FIFO (named pipe), not a regular file");
    }

    [Fact]
    public async Task Load_DevZero_IsRefusedAtOnce()
    {
        var errors = await LoadWithinSecondsAsync("/dev/zero");

        errors.Should().Equal("'/dev/zero' is a character device, not a regular file");
    }

    [Fact]
    public async Task Load_Directory_IsRefused()
    {
        var errors = await LoadWithinSecondsAsync(_directory.Path);

        errors.Should().Equal("'" + _directory.Path + "' is a directory, not a regular file");
    }

    [Fact]
    public async Task Load_OverTheSizeLimit_IsRefusedBeforeReading()
    {
        var file = _directory.Write("cities.csv", string.Concat(Enumerable.Range(0, 10).Select(i => "1.0." + i + ".0,1.0." + i + ".9,a,p,cn\n")));

        var errors = await LoadWithinSecondsAsync(file, maxBytes: 200);

        errors.Should().Equal("'" + file + "' is 230 bytes, over the limit of 200 bytes");
    }

    [Fact]
    public async Task Load_LineWithoutLineBreaks_IsOneBoundedProblem()
    {
        var file = _directory.Write("cities.csv", new string('a', 5_000_000));

        var errors = await LoadWithinSecondsAsync(file);

        errors.Should().Equal("'" + file + "' line 1: longer than 1,000 characters");
    }

    [Fact]
    public async Task Load_SymlinkToRegularFile_IsRead()
    {
        var target = _directory.Write("real.csv", "1.0.0.0,1.0.0.9,a,p,cn\n");
        var link = Path.Combine(_directory.Path, "cities.csv");
        File.CreateSymbolicLink(link, target);
        var errors = new List<string>();

        var database = await Task.Run(() => CityDatabase.Load(link, errors)).WaitAsync(TimeSpan.FromSeconds(10));

        errors.Should().BeEmpty();
        database!.Count.Should().Be(1);
    }

    [Fact]
    public async Task Validate_CityDatabaseIsAFifo_IsAProblemWithThePath()
    {
        var fifo = await MakeFifoAsync();
        var config = RuleHarness.Config().Set("Lanes:ClientIp:CityDatabase", fifo);

        var problems = await Task.Run(() => config.Problems()).WaitAsync(TimeSpan.FromSeconds(10));

        problems.Select(p => p.ToString()).Should().Equal("Lanes:ClientIp:CityDatabase: '" + fifo + "' is a FIFO (named pipe), not a regular file");
    }

    public void Dispose() => _directory.Dispose();
}
