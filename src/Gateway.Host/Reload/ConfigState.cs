using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Host.Admin;

namespace Gateway.Host.Reload;

/// <summary>What the admin API reports about the config: the active config (secrets redacted), its revision and the last reload attempt.</summary>
internal sealed class ConfigState(string source, string revision, DateTimeOffset loadedAt, byte[] content)
{
    private volatile Snapshot _current = new(source, revision, loadedAt, null, new ActiveConfig(content));

    public Snapshot Current => _current;

    public void Applied(string revision, DateTimeOffset at, byte[] content) =>
        _current = _current with { Revision = revision, LoadedAt = at, LastReload = new ReloadAttempt(at, "success", revision, []), Active = new ActiveConfig(content) };

    public void Failed(DateTimeOffset at, IReadOnlyList<string> problems) =>
        _current = _current with { LastReload = new ReloadAttempt(at, "failure", null, problems) };

    internal sealed record Snapshot(string Source, string Revision, DateTimeOffset LoadedAt, ReloadAttempt? LastReload, [property: JsonIgnore] ActiveConfig Active)
    {
        /// <summary>The active config as loaded, re-serialised with its secrets redacted.</summary>
        public JsonElement? Config => Active.Redacted;
    }

    internal sealed record ReloadAttempt(DateTimeOffset At, string Result, string? Revision, IReadOnlyList<string> Problems);

    /// <summary>
    /// The applied file's bytes, redacted when first asked for: a reload only keeps a reference, so a large config's
    /// reload does not pay for a view nobody may request.
    /// </summary>
    internal sealed class ActiveConfig(byte[] content)
    {
        private readonly Lazy<JsonElement?> _redacted = new(() => ConfigRedactor.Redact(content), LazyThreadSafetyMode.PublicationOnly);

        public JsonElement? Redacted => _redacted.Value;
    }
}
