namespace Gateway.Routing.Rules;

/// <summary>
/// Path prefixes on segment boundaries, as the Gateway API defines <c>PathPrefix</c>: <c>/api</c> takes <c>/api</c>,
/// <c>/api/</c> and <c>/api/x</c>, never <c>/apix</c>; a trailing slash of the prefix is ignored; <c>/</c> takes every path.
/// </summary>
internal sealed class PathPrefixMatcher : ValueMatcher
{
    private readonly string[] _prefixes;

    public PathPrefixMatcher(IEnumerable<string> prefixes)
    {
        var normalized = new List<string>();
        foreach (var prefix in prefixes)
        {
            normalized.Add(prefix.Length > 1 ? prefix.TrimEnd('/') : prefix);
        }

        _prefixes = [.. normalized];
    }

    public override bool Matches(ReadOnlySpan<char> value)
    {
        foreach (var prefix in _prefixes)
        {
            if (prefix.Length <= 1 || (value.StartsWith(prefix, StringComparison.Ordinal) && (value.Length == prefix.Length || value[prefix.Length] == '/')))
            {
                return true;
            }
        }

        return false;
    }
}
