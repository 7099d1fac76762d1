using Gateway.Host.Hosting;
using Gateway.Routing.Config;

namespace Gateway.Host.Admin;

/// <summary>The <c>Admin</c> section: where the admin listener is, and the token its endpoints (except probes) need.</summary>
internal sealed class AdminOptions
{
    public string? Urls { get; init; }

    public string? Token { get; init; }

    public void Validate(string path, ConfigReader problems)
    {
        if (Urls is not null)
        {
            ListenAddress.ParseList(Urls, ConfigReader.Child(path, nameof(Urls)), problems);
        }

        if (Token is { Length: 0 })
        {
            problems.Report(ConfigReader.Child(path, nameof(Token)), "must not be empty; leave Token out for no token");
        }
        else if (Token is not null && Token != Token.Trim())
        {
            problems.Report(ConfigReader.Child(path, nameof(Token)), PaddedToken);
        }
    }

    /// <summary>No client sends a bearer token ending in a newline, so such a token (a secret file written by <c>echo</c>) locks everybody out.</summary>
    private const string PaddedToken = "starts or ends with white space (a newline at the end of a secret file?), which no client can send; remove it";
}
