using System.Text;

namespace Gateway.Tests.Support;

/// <summary>
/// The commands in README.md's shell code blocks (<c>```bash</c>, <c>```sh</c>, <c>```shell</c>), one per line, split
/// into words as a POSIX shell would (single and double quotes, backslash escapes, a trailing <c># comment</c>, a
/// backslash at the end of a line continuing the command).
/// Read from the file each time, so a test over them and the README cannot drift apart.
/// </summary>
internal static class ReadmeCommands
{
    public static IReadOnlyList<string[]> Read(string readmePath)
    {
        var commands = new List<string[]>();
        var inShellBlock = false;
        var inOtherBlock = false;
        var continued = "";
        foreach (var line in File.ReadLines(readmePath))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                if (inShellBlock || inOtherBlock)
                {
                    inShellBlock = inOtherBlock = false;
                }
                else
                {
                    inShellBlock = trimmed[3..] is "bash" or "sh" or "shell";
                    inOtherBlock = !inShellBlock;
                }

                continue;
            }

            if (inShellBlock && trimmed.EndsWith('\\'))
            {
                // A line ending in a backslash continues on the next, as in a shell.
                continued += trimmed[..^1] + " ";
                continue;
            }

            if (inShellBlock && Split(continued + trimmed) is { Length: > 0 } words)
            {
                commands.Add(words);
            }

            continued = "";
        }

        return commands;
    }

    public static string[] Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\'')
            {
                var end = line.IndexOf('\'', i + 1);
                word.Append(line, i + 1, end - i - 1);
                i = end;
                inWord = true;
            }
            else if (c == '"')
            {
                for (i++; line[i] != '"'; i++)
                {
                    word.Append(line[i] == '\\' && line[i + 1] is '"' or '\\' or '$' ? line[++i] : line[i]);
                }

                inWord = true;
            }
            else if (c == '\\' && i + 1 < line.Length)
            {
                word.Append(line[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else if (c == '#' && !inWord)
            {
                break;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return [.. words];
    }
}
