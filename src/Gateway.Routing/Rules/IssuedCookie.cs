using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using Gateway.Routing.Config;
using Lanes.Wire;

namespace Gateway.Routing.Rules;

/// <summary>
/// The sticky cookie a group gives visitors who arrive without one (<c>IssueCookie</c>): a random id that is the
/// sticky key of this request and, sent back in <c>Set-Cookie</c>, of every later one, so an anonymous browser stays
/// in its lane on every replica. One per group: every percentage lane of the group keyed by the cookie uses the same id.
/// </summary>
public sealed class IssuedCookie
{
    public const double DefaultMaxAgeDays = 30;

    /// <summary>Browsers cap a cookie's lifetime at 400 days (RFC 6265bis); a longer Max-Age would only mislead.</summary>
    public const double MaxMaxAgeDays = 400;

    /// <summary>Random bytes per id: 128 bits, more than a version 4 UUID's 122.</summary>
    public const int IdBytes = 16;

    private readonly string _prefix;
    private readonly string _suffix;

    public IssuedCookie(string name, double maxAgeDays)
    {
        Name = name;
        MaxAgeSeconds = Seconds(maxAgeDays);
        _prefix = name + "=";
        _suffix = "; Path=/; Max-Age=" + MaxAgeSeconds.ToString(CultureInfo.InvariantCulture) + "; HttpOnly; SameSite=Lax";
    }

    public string Name { get; }

    public long MaxAgeSeconds { get; }

    /// <summary>A new id: <see cref="IdBytes"/> bytes from <paramref name="random"/>, base64url (22 characters, all valid in a cookie value).</summary>
    public static string NewId(RandomNumberGenerator random)
    {
        Span<byte> bytes = stackalloc byte[IdBytes];
        random.GetBytes(bytes);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The <c>Set-Cookie</c> value for an issued id; <c>Secure</c> when the request came over HTTPS.</summary>
    public string SetCookie(string id, bool secure) => secure ? string.Concat(_prefix, id, _suffix, "; Secure") : string.Concat(_prefix, id, _suffix);

    /// <summary>
    /// The cookie a group issues, checking every lane's <c>IssueCookie</c> settings: they need a percentage lane keyed
    /// by a cookie, at most one cookie per group, and one lifetime per cookie.
    /// </summary>
    public static IssuedCookie? ForGroup(LaneGroupOptions group, LanePath path, ConfigReader reader)
    {
        IssuedCookie? issued = null;
        string? firstLane = null;
        for (var i = 0; i < group.Lanes.Count; i++)
        {
            var lane = group.Lanes[i];
            var lanePath = path with { Lane = i };
            if (!lane.IssueCookie)
            {
                if (lane.IssueCookieMaxAgeDays is not null)
                {
                    reader.Report(lanePath.At("IssueCookieMaxAgeDays"), "IssueCookieMaxAgeDays is only used with IssueCookie: true");
                }

                continue;
            }

            var days = lane.IssueCookieMaxAgeDays ?? DefaultMaxAgeDays;
            if (days is <= 0 or > MaxMaxAgeDays)
            {
                reader.Report(lanePath.At("IssueCookieMaxAgeDays"), days.ToString(CultureInfo.InvariantCulture)
                    + " is not more than 0 and at most " + MaxMaxAgeDays.ToString(CultureInfo.InvariantCulture) + " days (browsers cap a cookie's lifetime at 400 days)");
                continue;
            }

            if (CookieName(lane) is not { } name)
            {
                reader.Report(lanePath.At("IssueCookie"), "IssueCookie needs a percentage lane with StickyKey cookie:NAME"
                    + (lane.StickyKey is null ? "" : "; this lane's StickyKey is '" + lane.StickyKey + "'"));
                continue;
            }

            if (!LaneWire.IsToken(name))
            {
                reader.Report(lanePath.At("StickyKey"), "'" + name + "' cannot be issued as a cookie name (an HTTP token: letters, digits and !#$%&'*+-.^_`|~)");
                continue;
            }

            if (issued is null)
            {
                issued = new IssuedCookie(name, days);
                firstLane = lane.Name;
            }
            else if (!string.Equals(issued.Name, name, StringComparison.Ordinal))
            {
                reader.Report(lanePath.At("IssueCookie"), "a group issues at most one cookie; lane '" + firstLane + "' issues '" + issued.Name + "'");
            }
            else if (issued.MaxAgeSeconds != Seconds(days))
            {
                reader.Report(lanePath.At("IssueCookieMaxAgeDays"), "lanes issuing cookie '" + name + "' need the same IssueCookieMaxAgeDays; lane '" + firstLane
                    + "' has " + (issued.MaxAgeSeconds / 86_400.0).ToString(CultureInfo.InvariantCulture));
            }
        }

        return issued;
    }

    private static long Seconds(double days) => (long)Math.Round(days * 86_400);

    /// <summary>The cookie of a percentage lane keyed by one, else null.</summary>
    public static string? CookieName(LaneOptions lane) =>
        lane.Percentage is not null && lane.StickyKey is { } text && StickyKey.TryParse(text, out var key, out _) && key!.Kind == StickyKeyKind.Cookie ? key.Name : null;
}
