using System.Net;
using Microsoft.AspNetCore.Http;

namespace Gateway.Routing.Clients;

/// <summary>
/// The client address of the current request as one <see cref="ClientAddressResolver"/> found it, kept so that the
/// request's later users take it instead of walking X-Forwarded-For again (see
/// <see cref="ClientAddressResolver.ResolveAndKeepAddress(HttpContext)"/>).
/// </summary>
internal interface IClientAddressFeature
{
    /// <summary>The resolver (one config revision's trusted proxies) that found <see cref="ClientAddress"/>; null: none kept.</summary>
    ClientAddressResolver? ClientResolver { get; }

    IPAddress? ClientAddress { get; }

    void KeepClient(ClientAddressResolver resolver, IPAddress? address);
}
