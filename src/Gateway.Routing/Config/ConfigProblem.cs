namespace Gateway.Routing.Config;

/// <summary>One thing wrong with a config, located by its path (<c>Lanes:Groups:trade:Lanes[2]:Percentage</c>).</summary>
public sealed record ConfigProblem(string Path, string Message)
{
    public override string ToString() => Path + ": " + Message;
}
