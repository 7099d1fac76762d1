using System.Net;
using System.Security.Cryptography;
using Gateway.Routing.Rules;
using Microsoft.AspNetCore.Http;

namespace Gateway.Routing.Clients;

/// <summary>
/// Per-request facts that cost something to find (client address, city), computed on first use and at most once.
/// A struct passed by reference, so a request that no network, city or client-IP rule looks at pays nothing.
/// </summary>
public struct RequestFacts
{
    private readonly ClientAddressResolver _resolver;
    private IPAddress? _clientAddress;
    private string? _city;
    private bool _addressResolved;
    private bool _cityResolved;
    private IssuedCookie? _issuedCookie;
    private string? _issuedId;

    public RequestFacts(HttpContext context, ClientAddressResolver resolver)
    {
        Context = context;
        _resolver = resolver;
    }

    public HttpContext Context { get; }

    /// <summary>The source of issued cookie ids; null when the caller issues no cookies (key-less requests then get a random draw).</summary>
    public RandomNumberGenerator? CookieIds { get; init; }

    /// <summary>The cookie issued to this request, if any (with <see cref="IssuedId"/>).</summary>
    public readonly IssuedCookie? IssuedCookie => _issuedCookie;

    public readonly string? IssuedId => _issuedId;

    public IPAddress? ClientAddress
    {
        get
        {
            if (!_addressResolved)
            {
                _clientAddress = _resolver.KeptOrResolveAddress(Context);
                _addressResolved = true;
            }

            return _clientAddress;
        }
    }

    public string? City
    {
        get
        {
            if (!_cityResolved)
            {
                _city = _resolver.ResolveCity(Context, ClientAddress);
                _cityResolved = true;
            }

            return _city;
        }
    }

    /// <summary>
    /// The id issued to this request for <paramref name="cookie"/>, drawn on first use: the lanes of a group keyed by the
    /// cookie share one id (a request sees one group, and a group issues one cookie). Null when no ids are issued.
    /// </summary>
    public string? IssueCookieId(IssuedCookie cookie)
    {
        if (_issuedId is null && CookieIds is not null)
        {
            _issuedId = IssuedCookie.NewId(CookieIds);
            _issuedCookie = cookie;
        }

        return _issuedId;
    }
}
