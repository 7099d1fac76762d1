using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Gateway.Routing.Rules;

namespace Gateway.Benchmarks;

/// <summary>
/// <c>regex-worst [LIMIT]</c>: the most CPU one 30 KB value costs a Regex rule under an automaton limit (default the
/// gateway's). Each pattern shape whose automaton explodes on the non-backtracking engine is grown until the limit
/// refuses it; every accepted size is timed on an adversarial value (<c>abab...</c>) and a random one. Then whether
/// patterns users write (an id list, a domain, a UUID path, a user agent) are accepted. The engine reads the limit
/// once per process, so each limit is its own run.
/// </summary>
internal static class RegexWorstCase
{
    private const int ValueLength = 30_000;

    private static readonly string[] ExplodingShapes =
    [
        "(a|b)*a(a|b){N}z", ".*a.{N}z", "(.*a){N}z", "(a|b|c)*a(a|b|c){N}(x|y)z", "(.*a.*b){N}z", "((a|b)*a){N}z", "(.{0,N}a){2}z", "(a|aa){N}b",
    ];

    private static readonly string[] UsersPatterns =
    [
        "^user-(" + string.Join("|", Enumerable.Range(1000, 50)) + ")$",
        @"@(corp|test)\.example\.com$",
        @"^/api/v[0-9]+/orders/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        @"^Mozilla/5\.0 .*(iPhone|Android).*$",
        "^(" + string.Join("|", Enumerable.Range(0, 20).Select(i => "tenant-" + i)) + ")$",
        @"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$",
        @"^(\d{1,3}\.){3}\d{1,3}$",
        @"^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$",
        @"^1[3-9][0-9]{9}$",
        @"^[a-z0-9]{32}$",
        @"^[0-9a-f]{64}$",
        @"^(?:[0-9a-f]{2}:){5}[0-9a-f]{2}$",
        @"^/api/(orders|payments|users|carts|search)/[0-9]+(/items/[0-9]+)?$",
        @"(^|;)\s*ab_test=(b|c)(;|$)",
    ];

    public static void Run(int? limit)
    {
        // Set before the gateway's matcher is touched, which sets its own limit only when none is set.
        limit ??= ValueMatcher.MaxRegexAutomatonSize;
        AppContext.SetData("REGEX_NONBACKTRACKING_MAX_AUTOMATA_SIZE", limit);
        Console.WriteLine("automaton limit " + limit.Value.ToString(CultureInfo.InvariantCulture));
        var random = new Random(7);
        (string Name, string Value)[] values =
        [
            ("abab...", string.Concat(Enumerable.Repeat("ab", ValueLength / 2))),
            ("random", new string([.. Enumerable.Range(0, ValueLength).Select(_ => "abcxyz0123"[random.Next(10)])])),
        ];
        foreach (var shape in ExplodingShapes)
        {
            var (worst, at) = (0.0, "");
            // Sizes grow by a quarter, then by a fiftieth up to the largest the limit accepts: the cost jumps at some size.
            var step = true;
            for (var n = 2; n <= 10_000; n = step ? (n < 20 ? n + 2 : n * 5 / 4) : n + Math.Max(1, n / 50))
            {
                var pattern = shape.Replace("N", n.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
                if (Compile(pattern) is not { } regex)
                {
                    if (!step || n <= 2)
                    {
                        break;
                    }

                    (step, n) = (false, n * 4 / 5);
                    continue;
                }

                foreach (var (name, value) in values)
                {
                    var milliseconds = Time(regex, value);
                    (worst, at) = milliseconds > worst ? (milliseconds, pattern + " on " + name) : (worst, at);
                }
            }

            Console.WriteLine($"{shape,-28} worst {worst,7:F1} ms per {ValueLength:N0}-character value ({at})");
        }

        foreach (var pattern in UsersPatterns)
        {
            Console.WriteLine((Compile(pattern) is null ? "refused  " : "accepted ") + pattern[..Math.Min(70, pattern.Length)]);
        }
    }

    private static Regex? Compile(string pattern)
    {
        try
        {
            return new Regex(pattern, ValueMatcher.RegexBaseOptions);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Milliseconds per match, after one untimed match that builds the automaton's first states.</summary>
    private static double Time(Regex regex, string value)
    {
        regex.IsMatch(value);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 3; i++)
        {
            regex.IsMatch(value);
        }

        return clock.Elapsed.TotalMilliseconds / 3;
    }
}
