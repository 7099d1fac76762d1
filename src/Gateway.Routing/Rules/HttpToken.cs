namespace Gateway.Routing.Rules;

/// <summary>An HTTP token (RFC 9110): what header names, methods and cookie names must be.</summary>
internal static class HttpToken
{
    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !"!#$%&'*+-.^_`|~".Contains(c))
            {
                return false;
            }
        }

        return true;
    }
}
