using Gateway.Routing.Rules;

namespace Gateway.Routing.Config;

/// <summary>
/// The lane groups of the config that serves, each with the JSON it was read from and its compiled rules, so a reload
/// reads and compiles only the groups whose text changed: a percentage step in one of 10,000 groups is one group's
/// work and next to no garbage. A reload fills a <see cref="Builder"/>, which becomes the next cache only when its
/// config is applied; a config that fails leaves the cache as it was.
/// </summary>
public sealed class LaneGroupCache
{
    public static readonly LaneGroupCache Empty = new(new Dictionary<string, Entry>(StringComparer.Ordinal));

    private readonly Dictionary<string, Entry> _byName;

    private LaneGroupCache(Dictionary<string, Entry> byName) => _byName = byName;

    public Builder Next() => new(this);

    /// <summary>A group's JSON and what was made of it. Never changed once made, so a failed reload cannot spoil the cache.</summary>
    private sealed record Entry(byte[] Json, LaneGroupOptions Options, RuleGroup? Group = null, bool HasCitySource = false);

    /// <summary>The cache of the config being compiled: groups reused from the serving one, and the ones read anew.</summary>
    public sealed class Builder
    {
        private readonly LaneGroupCache _previous;
        private readonly Dictionary<string, Entry> _byName = new(StringComparer.Ordinal);

        internal Builder(LaneGroupCache previous) => _previous = previous;

        /// <summary>Groups whose compiled rules were taken from the serving config (for the reload's log and tests).</summary>
        public int Reused { get; private set; }

        /// <summary>The options read before from exactly this JSON under this group name, or null.</summary>
        internal LaneGroupOptions? Reuse(string name, ReadOnlySpan<byte> json)
        {
            var found = _previous._byName.TryGetValue(name, out var entry) && json.SequenceEqual(entry.Json);
            return found ? (_byName[name] = entry!).Options : null;
        }

        internal void Read(string name, ReadOnlySpan<byte> json, LaneGroupOptions options) => _byName[name] = new Entry(json.ToArray(), options);

        /// <summary>The rules compiled before from these very options with the same city source, or null.</summary>
        internal RuleGroup? Compiled(LaneGroupOptions options, bool hasCitySource)
        {
            var found = _byName.TryGetValue(options.Name, out var entry) && ReferenceEquals(entry.Options, options) && entry.HasCitySource == hasCitySource;
            Reused += found && entry!.Group is not null ? 1 : 0;
            return found ? entry!.Group : null;
        }

        /// <summary>Keeps the rules compiled from options read into this cache, for the next reload (a reused group is kept as it is).</summary>
        internal void Compiled(LaneGroupOptions options, RuleGroup group, bool hasCitySource)
        {
            if (_byName.TryGetValue(options.Name, out var entry) && ReferenceEquals(entry.Options, options) && !ReferenceEquals(entry.Group, group))
            {
                _byName[options.Name] = entry with { Group = group, HasCitySource = hasCitySource };
            }
        }

        public LaneGroupCache Build() => new(new Dictionary<string, Entry>(_byName, StringComparer.Ordinal));
    }
}
