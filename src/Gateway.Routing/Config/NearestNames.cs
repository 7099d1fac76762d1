namespace Gateway.Routing.Config;

/// <summary>Names a missing id's nearest existing ones (by edit distance), for problems that should suggest a fix.</summary>
internal static class NearestNames
{
    /// <summary>
    /// How many unknown names of one config are compared with thousands of routes: a typo's fix is worth that a few
    /// times, but a generated file with thousands of unknown names would keep a reload busy for minutes.
    /// </summary>
    public const int MaxSearches = 5;

    /// <summary>Longest name compared: the comparison's work grows with the product of the lengths, and a typo is short.</summary>
    private const int MaxLength = 64;

    /// <summary>All route ids when there are a few; of thousands, the nearest few to the unknown one (a typo's fix) when <paramref name="search"/>.</summary>
    public static string Describe(IReadOnlyCollection<string> routes, string unknown, bool search)
    {
        const int Listed = 10;
        if (routes.Count > Listed && (!search || unknown.Length > MaxLength))
        {
            return routes.Count + " routes";
        }

        var shown = routes.Count <= Listed
            ? routes.Order(StringComparer.OrdinalIgnoreCase)
            : routes.OrderBy(r => EditDistance(r, unknown)).ThenBy(r => r, StringComparer.OrdinalIgnoreCase).Take(3);
        var names = string.Join(", ", shown.Select(r => "'" + r + "'"));
        return routes.Count == 0 ? "no routes" : routes.Count <= Listed ? names : routes.Count + " routes; the nearest are " + names;
    }

    /// <summary>The known name nearest to a misspelt one, or null when none is near enough to be what was meant.</summary>
    public static string? Suggest(IEnumerable<string> known, string unknown)
    {
        var nearest = known.Select(name => (Name: name, Distance: EditDistance(name, unknown))).DefaultIfEmpty().MinBy(n => n.Distance);
        return nearest.Distance <= Math.Max(2, unknown.Length / 3) ? nearest.Name : null;
    }

    /// <summary>Levenshtein distance, ignoring case; names longer than <see cref="MaxLength"/> count as far from every other.</summary>
    public static int EditDistance(string a, string b)
    {
        if (a.Length > MaxLength || b.Length > MaxLength)
        {
            return Math.Max(a.Length, b.Length);
        }

        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
