using System.Globalization;

namespace Gateway.Routing.Config;

/// <summary>
/// Collects the problems of one config, each with its path (array items as <c>Lanes[2]</c>), so that every problem is
/// reported at once. A path is put into words only when a problem is reported.
/// </summary>
public sealed class ConfigReader
{
    private readonly List<ConfigProblem> _problems;

    public ConfigReader(List<ConfigProblem> problems) => _problems = problems;

    /// <summary>Problems reported so far (a caller compares counts to tell whether one part read cleanly).</summary>
    public int ProblemCount => _problems.Count;

    public void Report(string path, string message) => _problems.Add(new ConfigProblem(path, message));

    public static string Child(string path, string key) => path.Length == 0 ? key : path + ":" + key;

    public static string Item(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
}
