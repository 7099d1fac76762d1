namespace Gateway.Routing.Config;

/// <summary>
/// One thing wrong with a config, located by its path (<c>Lanes:Groups:trade:Lanes[2]:Percentage</c>). A message that
/// quotes a URL never shows its user name and password (<see cref="UrlCredentials"/>).
/// </summary>
public sealed record ConfigProblem(string Path, string Message)
{
    public string Message { get; } = UrlCredentials.Redact(Message);

    public override string ToString() => Path + ": " + Message;
}
