using Microsoft.Extensions.Primitives;

namespace Gateway.Routing.Rules;

/// <summary>Finds one cookie in Cookie headers (<c>a=1; b="2"</c>) without allocating.</summary>
public static class CookieReader
{
    public static bool TryFind(StringValues headers, string name, out ReadOnlySpan<char> value)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            var remaining = (headers[i] ?? "").AsSpan();
            while (!remaining.IsEmpty)
            {
                var end = remaining.IndexOf(';');
                var pair = (end < 0 ? remaining : remaining[..end]).Trim();
                remaining = end < 0 ? [] : remaining[(end + 1)..];
                var equals = pair.IndexOf('=');
                if (equals > 0 && pair[..equals].TrimEnd().SequenceEqual(name))
                {
                    value = pair[(equals + 1)..].Trim();
                    if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
                    {
                        value = value[1..^1];
                    }

                    return true;
                }
            }
        }

        value = default;
        return false;
    }
}
