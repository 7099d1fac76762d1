namespace Gateway.Routing.Config;

/// <summary>
/// What a condition kind is compiled with: its place (<c>Lanes:Groups:g:Lanes[0]:Match:Headers</c>) for problems, the
/// reader they go to, and whether the config has a source of client cities (a city condition needs one).
/// </summary>
public readonly record struct ConditionSite(LanePath Path, ConfigReader Reader, bool HasCitySource)
{
    public void Report(string message) => Reader.Report(Path.ToString(), message);
}
