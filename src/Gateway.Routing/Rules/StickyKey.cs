using Gateway.Routing.Clients;

namespace Gateway.Routing.Rules;

/// <summary>Where a percentage lane finds the value that keeps a user in one lane: <c>header:NAME</c>, <c>cookie:NAME</c>, <c>query:NAME</c>, <c>clientIp</c>.</summary>
public sealed class StickyKey
{
    private StickyKey(StickyKeyKind kind, string name)
    {
        Kind = kind;
        Name = name;
    }

    public StickyKeyKind Kind { get; }

    public string Name { get; }

    public override string ToString() => Kind == StickyKeyKind.ClientIp ? "clientIp" : Kind.ToString().ToLowerInvariant() + ":" + Name;

    public static bool TryParse(string text, out StickyKey? key, out string error)
    {
        key = null;
        error = "";
        if (string.Equals(text, "clientIp", StringComparison.OrdinalIgnoreCase))
        {
            key = new StickyKey(StickyKeyKind.ClientIp, "");
            return true;
        }

        var colon = text.IndexOf(':');
        var prefix = colon > 0 ? text[..colon] : "";
        var name = colon > 0 ? text[(colon + 1)..].Trim() : "";
        StickyKeyKind? kind = prefix.ToLowerInvariant() switch
        {
            "header" => StickyKeyKind.Header,
            "cookie" => StickyKeyKind.Cookie,
            "query" => StickyKeyKind.Query,
            _ => null,
        };
        if (kind is null || name.Length == 0)
        {
            error = "'" + text + "' is not a sticky key; use header:NAME, cookie:NAME, query:NAME or clientIp";
            return false;
        }

        key = new StickyKey(kind.Value, name);
        return true;
    }

    /// <summary>Hashes the request's key value into a bucket; false when the request carries no (or an empty) key.</summary>
    public bool TryGetBucket(ref RequestFacts facts, uint seed, out uint bucket)
    {
        var request = facts.Context.Request;
        ReadOnlySpan<char> value = default;
        switch (Kind)
        {
            case StickyKeyKind.Header:
                var header = request.Headers[Name];
                value = header.Count > 0 ? header[0] : default;
                break;
            case StickyKeyKind.Cookie:
                CookieReader.TryFind(request.Headers.Cookie, Name, out value);
                break;
            case StickyKeyKind.Query:
                // The first value of the parameter by its case-sensitive name, decoded (see QueryReader).
                var remaining = QueryReader.Start(request.QueryString.Value);
                if (QueryReader.Next(ref remaining, Name, out var raw) && !raw.IsEmpty)
                {
                    bucket = QueryReader.NeedsDecoding(raw) ? DecodedBucket(raw, seed) : StickyHash.Bucket(seed, raw);
                    return true;
                }

                break;
            default:
                Span<char> text = stackalloc char[64];
                if (facts.ClientAddress is { } address && address.TryFormat(text, out var written))
                {
                    bucket = StickyHash.Bucket(seed, text[..written]);
                    return true;
                }

                break;
        }

        if (value.IsEmpty)
        {
            bucket = 0;
            return false;
        }

        bucket = StickyHash.Bucket(seed, value);
        return true;
    }

    private static uint DecodedBucket(ReadOnlySpan<char> raw, uint seed)
    {
        Span<char> decoded = stackalloc char[QueryReader.BufferLength];
        return StickyHash.Bucket(seed, QueryReader.Decode(raw, decoded));
    }
}
