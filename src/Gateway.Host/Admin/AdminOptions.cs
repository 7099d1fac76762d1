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
    }
}
