using Gateway.Host.Hosting;
using Gateway.Tests.Support;

namespace Gateway.Tests.Host;

public sealed class OpenFileBudgetTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData(1_048_576L, 523_788L)]
    [InlineData(20_000L, 9_500L)]
    [InlineData(1_500L, 562L)]
    [InlineData(1L, 1L)]
    public void FromOpenFileLimit_KeepsHalfOfWhatTheReserveLeaves(long openFiles, long expected)
    {
        OpenFileBudget.Half(openFiles).Should().Be(expected);
    }

    [Theory]
    [InlineData("Max open files            20000                20000                files     ", 20_000L)]
    [InlineData("Max open files            unlimited            unlimited            files     ", null)]
    [InlineData("Max processes             95000                95000                processes ", null)]
    public void ReadOpenFileLimit_ProcLimitsLine_ReadsTheSoftLimit(string line, long? expected)
    {
        var file = _directory.Write("limits", "Limit                     Soft Limit           Hard Limit           Units     \n" + line + "\n");

        OpenFileBudget.ReadOpenFileLimit(file).Should().Be(expected);
    }

    [Fact]
    public void ReadOpenFileLimit_NoSuchFile_IsUnknown()
    {
        OpenFileBudget.ReadOpenFileLimit(Path.Combine(_directory.Path, "none")).Should().BeNull();
    }

    public void Dispose() => _directory.Dispose();
}
