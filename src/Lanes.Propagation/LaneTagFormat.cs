namespace Lanes.Propagation;

/// <summary>
/// What a lane tag may look like on the wire: 1-64 characters of <c>A-Z a-z 0-9 . _ -</c>. The same rule as the gateway's
/// <c>LaneTag</c>, kept here because a service must not reference the gateway; a test holds the two equal.
/// </summary>
internal static class LaneTagFormat
{
    public const int MaxLength = 64;

    public static bool IsValid(ReadOnlySpan<char> tag)
    {
        if (tag.IsEmpty || tag.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in tag)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_' && c != '.')
            {
                return false;
            }
        }

        return true;
    }
}
