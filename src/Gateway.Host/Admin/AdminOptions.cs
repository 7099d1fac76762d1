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

    /// <summary>
    /// Checks the token the host really uses, after environment variables and command-line arguments: one set empty
    /// there (a secret that did not mount, an unset shell variable in <c>--Admin:Token=$TOKEN</c>) would otherwise
    /// leave the admin endpoints open without a word, and one of blanks would lock everybody out.
    /// </summary>
    /// <returns>False when there is a problem, reported.</returns>
    public static bool ValidateEffective(IConfiguration configuration, ConfigReader problems)
    {
        if (configuration["Admin:Token"] is { } token && string.IsNullOrWhiteSpace(token))
        {
            problems.Report("Admin:Token", "set but empty (by an environment variable or a command-line argument); leave it out for no token");
            return false;
        }

        if (configuration["Admin:Token"] is { } padded && padded != padded.Trim())
        {
            problems.Report("Admin:Token", PaddedToken);
            return false;
        }

        return true;
    }
}
