namespace Gateway.Host.Hosting;

/// <summary>What each command does once its arguments are parsed: <c>Program</c> supplies the real work, tests record the calls.</summary>
/// <param name="Run">The config file (null: the embedded demo) and the options for the ASP.NET host (<c>--urls</c>, <c>--Section:Key value</c>).</param>
/// <param name="Validate">The config file to check.</param>
/// <param name="Explain">The config file and the request description.</param>
/// <param name="Echo">The arguments after <c>echo</c>, unchanged.</param>
internal sealed record CommandActions(
    Func<string?, string[], Task<int>> Run,
    Func<string, int> Validate,
    Func<string, string, int> Explain,
    Func<string[], Task<int>> Echo);
