namespace Gateway.Routing.Config;

/// <summary>Names a missing id's nearest existing ones (by edit distance), for problems that should suggest a fix.</summary>
internal static class NearestNames
{
    /// <summary>All route ids when there are a few; of thousands, the nearest few to the unknown one (a typo's fix).</summary>
    public static string Describe(IReadOnlyCollection<string> routes, string unknown)
    {
        const int Listed = 10;
        if (routes.Count == 0)
        {
            return "no routes";
        }

        if (routes.Count <= Listed)
        {
            return string.Join(", ", routes.Order(StringComparer.OrdinalIgnoreCase).Select(r => "'" + r + "'"));
        }

        var nearest = routes.OrderBy(r => EditDistance(r, unknown)).ThenBy(r => r, StringComparer.OrdinalIgnoreCase).Take(3);
        return routes.Count + " routes; the nearest are " + string.Join(", ", nearest.Select(r => "'" + r + "'"));
    }

    /// <summary>The known name nearest to a misspelt one, or null when none is near enough to be what was meant.</summary>
    public static string? Suggest(IEnumerable<string> known, string unknown)
    {
        string? best = null;
        var bestDistance = Math.Max(2, unknown.Length / 3) + 1;
        foreach (var name in known)
        {
            var distance = EditDistance(name, unknown);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (name, distance);
            }
        }

        return best;
    }

    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

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
