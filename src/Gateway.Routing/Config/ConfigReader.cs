using System.Globalization;

namespace Gateway.Routing.Config;

/// <summary>
/// Collects the problems of one config, each with its path (array items as <c>Lanes[2]</c>), so that every problem is
/// reported at once. A path is put into words only when a problem is reported.
/// </summary>
public sealed class ConfigReader
{
    /// <summary>
    /// Most problems listed: a generated file of 16 MB can hold a million broken keys, which listed would take a
    /// gigabyte and an endless log line. The rest are counted and said to exist, never lost.
    /// </summary>
    public const int MaxListed = 1_000;

    private readonly List<ConfigProblem> _problems;

    public ConfigReader(List<ConfigProblem> problems) => _problems = problems;

    /// <summary>Problems this reader was told of, listed or not (a caller compares counts to tell whether one part read cleanly).</summary>
    public int ProblemCount { get; private set; }

    public void Report(string path, string message) => Report(path, () => message);

    /// <summary>A problem whose message costs work to write (a "did you mean"): written only when it is listed.</summary>
    public void Report(string path, Func<string> message)
    {
        ProblemCount++;
        if (_problems.Count < MaxListed)
        {
            _problems.Add(new ConfigProblem(path, message()));
        }
        else if (_problems.Count == MaxListed)
        {
            _problems.Add(new ConfigProblem("(more)", "only the first " + MaxListed.ToString("N0", CultureInfo.InvariantCulture) + " problems are listed; fix them and check again"));
        }
    }

    public static string Child(string path, string key) => path.Length == 0 ? key : path + ":" + key;

    public static string Item(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
}
