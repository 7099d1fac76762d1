using System.Net;
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

    public RequestFacts(HttpContext context, ClientAddressResolver resolver)
    {
        Context = context;
        _resolver = resolver;
    }

    public HttpContext Context { get; }

    public IPAddress? ClientAddress
    {
        get
        {
            if (!_addressResolved)
            {
                _clientAddress = _resolver.ResolveAddress(Context);
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
}
