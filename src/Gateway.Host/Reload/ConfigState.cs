namespace Gateway.Host.Reload;

/// <summary>What the admin API reports about the config: the active revision and the last reload attempt.</summary>
internal sealed class ConfigState(string source, string revision, DateTimeOffset loadedAt)
{
    private volatile Snapshot _current = new(source, revision, loadedAt, null);

    public Snapshot Current => _current;

    public void Applied(string revision, DateTimeOffset at) =>
        _current = _current with { Revision = revision, LoadedAt = at, LastReload = new ReloadAttempt(at, "success", revision, []) };

    public void Failed(DateTimeOffset at, IReadOnlyList<string> problems) =>
        _current = _current with { LastReload = new ReloadAttempt(at, "failure", null, problems) };

    internal sealed record Snapshot(string Source, string Revision, DateTimeOffset LoadedAt, ReloadAttempt? LastReload);

    internal sealed record ReloadAttempt(DateTimeOffset At, string Result, string? Revision, IReadOnlyList<string> Problems);
}
