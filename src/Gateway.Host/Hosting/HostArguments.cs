using System.CommandLine;
using Gateway.Routing.Config;

namespace Gateway.Host.Hosting;

/// <summary>
/// The tokens no command declares. <c>run</c> and <c>echo</c> hand them to the ASP.NET host's configuration, which
/// reads <c>--Key VALUE</c> and <c>--Key=VALUE</c>; anything else (a stray word, <c>-x</c>, a key without its value)
/// is a usage error rather than a setting silently ignored.
/// </summary>
internal static class HostArguments
{
    private static readonly string[] CommandNames = ["run", "validate", "explain", "echo"];

    /// <summary>The host's arguments for <c>run</c>: the undeclared options and <c>--urls</c>.</summary>
    public static string[] ForHost(ParseResult result, Option<string> urls)
    {
        var value = result.GetValue(urls);
        return value is null ? [.. result.UnmatchedTokens] : [.. result.UnmatchedTokens, "--urls", value];
    }

    public static void Check(ParseResult result, RootCommand root, List<string> problems)
    {
        var command = result.CommandResult.Command;
        var passesThrough = !command.TreatUnmatchedTokensAsErrors;
        var tokens = result.UnmatchedTokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (passesThrough && token.Length > 2 && token.StartsWith("--", StringComparison.Ordinal))
            {
                if (token.Contains('=', StringComparison.Ordinal))
                {
                    continue;
                }

                if (i + 1 < tokens.Count)
                {
                    i++;
                    continue;
                }

                problems.Add("option '" + token + "' needs a value: " + token + " VALUE or " + token + "=VALUE");
            }
            else if (command == root && i == 0 && !token.StartsWith('-'))
            {
                problems.Add("unknown command '" + token + "'" + Suggest(token));
            }
            else
            {
                problems.Add("unexpected argument '" + token + "'");
            }
        }
    }

    private static string Suggest(string unknown)
    {
        foreach (var name in CommandNames)
        {
            if (NearestNames.EditDistance(name, unknown) <= 2)
            {
                return "; did you mean '" + name + "'?";
            }
        }

        return "";
    }
}
