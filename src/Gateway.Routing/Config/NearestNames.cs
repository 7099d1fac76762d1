namespace Gateway.Routing.Config;

/// <summary>Names a missing id's nearest existing ones (by edit distance), for problems that should suggest a fix.</summary>
internal static class NearestNames
{
    /// <summary>All route ids when there are a few; of thousands, the nearest few to the unknown one (a typo's fix).</summary>
    public static string Describe(IReadOnlyCollection<string> routes, string unknown)
    {
        const int Listed = 10;
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

    /// <summary>Levenshtein distance, ignoring case.</summary>
    public static int EditDistance(string a, string b)
    {
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
