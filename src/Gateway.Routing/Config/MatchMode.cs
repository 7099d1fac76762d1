namespace Gateway.Routing.Config;

public enum MatchMode
{
    /// <summary>The value equals one of the values.</summary>
    Exact,

    /// <summary>The value starts with one of the values.</summary>
    Prefix,

    /// <summary>One of the regular expressions matches somewhere in the value (anchor with ^ and $ for a full match).</summary>
    Regex,

    /// <summary>The header, cookie or query parameter is present, whatever its value.</summary>
    Exists,
}
