using System.Net.Http.Headers;
using Lanes.Wire;

namespace Gateway.Routing.Tagging;

/// <summary>
/// Header names that read as the same name to a backend. CGI and WSGI environments (and frameworks and proxies
/// modelled on them) turn <c>-</c> into <c>_</c> and ignore case, so <c>x_mse_tag</c> from a client arrives as
/// <c>x-mse-tag</c> there: removing a header means removing every such spelling.
/// </summary>
internal static class HeaderSpellings
{
    /// <summary>True when the names are equal ignoring ASCII case and treating <c>_</c> and <c>-</c> alike.</summary>
    public static bool Same(ReadOnlySpan<char> a, ReadOnlySpan<char> b) => LaneWire.SameHeaderName(a, b);

    /// <summary>
    /// Removes <paramref name="name"/> in every spelling. Only names are compared (the non-validated view enumerates
    /// without parsing or allocating); a list is made only when a header is found.
    /// </summary>
    public static void RemoveAll(HttpHeaders headers, string name)
    {
        List<string>? found = null;
        foreach (var header in headers.NonValidated)
        {
            if (Same(header.Key, name))
            {
                (found ??= []).Add(header.Key);
            }
        }

        if (found is null)
        {
            return;
        }

        foreach (var key in found)
        {
            headers.Remove(key);
        }
    }
}
