namespace Gateway.Routing.Config;

public enum PathMatchMode
{
    /// <summary>The path equals one of the values.</summary>
    Exact,

    /// <summary>The path is one of the values or lies below it: <c>/api</c> takes <c>/api</c> and <c>/api/x</c>, not <c>/apix</c>.</summary>
    Prefix,

    /// <summary>One of the regular expressions matches somewhere in the path (anchor with ^ and $ for a full match).</summary>
    Regex,
}
