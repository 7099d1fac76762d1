using System.Collections.ObjectModel;
using System.Globalization;
using System.Net.Http;
using System.Security.Authentication;
using Gateway.Routing.Config;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Host.Config;

internal static partial class ProxyConfigReader
{
    // What YARP's config reader makes of each key: a missing key is null (or YARP's default where it has one), a list
    // or map with no items is null, a present but empty Match is an empty match. A test reads a config that sets
    // every property both ways and requires equal objects, so a YARP upgrade that adds a setting fails it here first.

    private static RouteConfig ReadRoute(IConfigurationSection section, ConfigReader reader)
    {
        var route = new Fields(section, reader);
        route.Known("ClusterId", "Order", "MaxRequestBodySize", "AuthorizationPolicy", "RateLimiterPolicy", "OutputCachePolicy", "TimeoutPolicy", "Timeout", "CorsPolicy", "Metadata", "Transforms", "Match");
        return new RouteConfig
        {
            RouteId = section.Key,
            ClusterId = route.String("ClusterId"),
            Order = route.Int32("Order"),
            MaxRequestBodySize = route.Int64("MaxRequestBodySize"),
            AuthorizationPolicy = route.String("AuthorizationPolicy"),
            RateLimiterPolicy = route.String("RateLimiterPolicy"),
            OutputCachePolicy = route.String("OutputCachePolicy"),
            TimeoutPolicy = route.String("TimeoutPolicy"),
            Timeout = route.TimeSpan("Timeout"),
            CorsPolicy = route.String("CorsPolicy"),
            Metadata = route.Map("Metadata"),
            Transforms = ReadTransforms(section, reader),
            Match = ReadMatch(route.Child("Match")),
        };
    }

    private static IReadOnlyList<IReadOnlyDictionary<string, string>>? ReadTransforms(IConfigurationSection section, ConfigReader reader)
    {
        var transforms = reader.Objects(section, "Transforms", static (r, item) => new Fields(item, r).Values());
        return transforms.Count == 0 ? null : transforms;
    }

    private static RouteMatch ReadMatch(Fields match)
    {
        if (!match.Exists)
        {
            return new RouteMatch();
        }

        match.Known("Methods", "Hosts", "Path", "Headers", "QueryParameters");
        return new RouteMatch
        {
            Methods = match.Strings("Methods"),
            Hosts = match.Strings("Hosts"),
            Path = match.String("Path"),
            Headers = match.List("Headers", header =>
            {
                header.Known("Name", "Values", "Mode", "IsCaseSensitive");
                return new RouteHeader
                {
                    Name = header.String("Name")!,
                    Values = header.Strings("Values"),
                    Mode = header.Enum<HeaderMatchMode>("Mode") ?? HeaderMatchMode.ExactHeader,
                    IsCaseSensitive = header.Bool("IsCaseSensitive") ?? false,
                };
            }),
            QueryParameters = match.List("QueryParameters", query =>
            {
                query.Known("Name", "Values", "Mode", "IsCaseSensitive");
                return new RouteQueryParameter
                {
                    Name = query.String("Name")!,
                    Values = query.Strings("Values"),
                    Mode = query.Enum<QueryParameterMatchMode>("Mode") ?? QueryParameterMatchMode.Exact,
                    IsCaseSensitive = query.Bool("IsCaseSensitive") ?? false,
                };
            }),
        };
    }

    private static ClusterConfig ReadCluster(IConfigurationSection section, ConfigReader reader)
    {
        var cluster = new Fields(section, reader);
        cluster.Known("LoadBalancingPolicy", "SessionAffinity", "HealthCheck", "HttpClient", "HttpRequest", "Metadata", "Destinations");
        var destinations = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, destination) in cluster.Child("Destinations").Children())
        {
            destinations[id] = ReadDestination(destination);
        }

        var affinity = ReadSessionAffinity(cluster.Child("SessionAffinity"));
        if (affinity?.Enabled == true)
        {
            // Lanes choose destinations themselves; YARP's affinity would run after them, and its HashCookie policy
            // needs a library this build cannot ship. Say so instead of silently ignoring the setting.
            cluster.Report("SessionAffinity", "session affinity is not supported; use a percentage lane's StickyKey to keep users together");
        }

        return new ClusterConfig
        {
            ClusterId = section.Key,
            LoadBalancingPolicy = cluster.String("LoadBalancingPolicy"),
            SessionAffinity = affinity,
            HealthCheck = ReadHealthCheck(cluster.Child("HealthCheck")),
            HttpClient = ReadHttpClient(cluster.Child("HttpClient")),
            HttpRequest = ReadHttpRequest(cluster.Child("HttpRequest")),
            Metadata = cluster.Map("Metadata"),
            Destinations = destinations,
        };
    }

    private static DestinationConfig ReadDestination(Fields destination)
    {
        destination.Known("Address", "Health", "Metadata", "Host");
        var address = destination.String("Address");
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            destination.Report("Address", "'" + address + "' is not an absolute http or https address");
        }

        return new DestinationConfig
        {
            Address = address!,
            Health = destination.String("Health"),
            Metadata = destination.Map("Metadata"),
            Host = destination.String("Host"),
        };
    }

    private static SessionAffinityConfig? ReadSessionAffinity(Fields affinity)
    {
        if (!affinity.Exists)
        {
            return null;
        }

        affinity.Known("Enabled", "Policy", "FailurePolicy", "AffinityKeyName", "Cookie");
        var cookie = affinity.Child("Cookie");
        if (cookie.Exists)
        {
            cookie.Known("Path", "Domain", "HttpOnly", "SecurePolicy", "SameSite", "Expiration", "MaxAge", "IsEssential");
        }

        return new SessionAffinityConfig
        {
            Enabled = affinity.Bool("Enabled"),
            Policy = affinity.String("Policy"),
            FailurePolicy = affinity.String("FailurePolicy"),
            AffinityKeyName = affinity.String("AffinityKeyName")!,
            Cookie = cookie.Exists
                ? new SessionAffinityCookieConfig
                {
                    Path = cookie.String("Path"),
                    Domain = cookie.String("Domain"),
                    HttpOnly = cookie.Bool("HttpOnly"),
                    SecurePolicy = cookie.Enum<CookieSecurePolicy>("SecurePolicy"),
                    SameSite = cookie.Enum<SameSiteMode>("SameSite"),
                    Expiration = cookie.TimeSpan("Expiration"),
                    MaxAge = cookie.TimeSpan("MaxAge"),
                    IsEssential = cookie.Bool("IsEssential"),
                }
                : null,
        };
    }

    private static HealthCheckConfig? ReadHealthCheck(Fields health)
    {
        if (!health.Exists)
        {
            return null;
        }

        health.Known("Passive", "Active", "AvailableDestinationsPolicy");
        var passive = health.Child("Passive");
        var active = health.Child("Active");
        if (passive.Exists)
        {
            passive.Known("Enabled", "Policy", "ReactivationPeriod");
        }

        if (active.Exists)
        {
            active.Known("Enabled", "Interval", "Timeout", "Policy", "Path", "Query");
        }

        return new HealthCheckConfig
        {
            Passive = passive.Exists
                ? new PassiveHealthCheckConfig { Enabled = passive.Bool("Enabled"), Policy = passive.String("Policy"), ReactivationPeriod = passive.TimeSpan("ReactivationPeriod") }
                : null,
            Active = active.Exists
                ? new ActiveHealthCheckConfig
                {
                    Enabled = active.Bool("Enabled"),
                    Interval = active.TimeSpan("Interval"),
                    Timeout = active.TimeSpan("Timeout"),
                    Policy = active.String("Policy"),
                    Path = active.String("Path"),
                    Query = active.String("Query"),
                }
                : null,
            AvailableDestinationsPolicy = health.String("AvailableDestinationsPolicy"),
        };
    }

    private static HttpClientConfig? ReadHttpClient(Fields client)
    {
        if (!client.Exists)
        {
            return null;
        }

        client.Known("SslProtocols", "DangerousAcceptAnyServerCertificate", "MaxConnectionsPerServer", "EnableMultipleHttp2Connections", "RequestHeaderEncoding", "ResponseHeaderEncoding", "WebProxy");
        SslProtocols? protocols = null;
        foreach (var name in client.Strings("SslProtocols") ?? [])
        {
            // Names only, as everywhere in the config: Enum.TryParse would also take "12".
            if (name.Length > 0 && char.IsLetter(name[0]) && Enum.TryParse<SslProtocols>(name, ignoreCase: true, out var protocol))
            {
                protocols = (protocols ?? SslProtocols.None) | protocol;
            }
            else
            {
                client.Report("SslProtocols", "'" + name + "' is not one of " + string.Join(", ", Enum.GetNames<SslProtocols>()));
            }
        }

        var proxy = client.Child("WebProxy");
        WebProxyConfig? webProxy = null;
        if (proxy.Exists)
        {
            proxy.Known("Address", "BypassOnLocal", "UseDefaultCredentials");
            webProxy = new WebProxyConfig { Address = proxy.Uri("Address"), BypassOnLocal = proxy.Bool("BypassOnLocal"), UseDefaultCredentials = proxy.Bool("UseDefaultCredentials") };
        }

        return new HttpClientConfig
        {
            SslProtocols = protocols,
            DangerousAcceptAnyServerCertificate = client.Bool("DangerousAcceptAnyServerCertificate"),
            MaxConnectionsPerServer = client.Int32("MaxConnectionsPerServer"),
            EnableMultipleHttp2Connections = client.Bool("EnableMultipleHttp2Connections"),
            RequestHeaderEncoding = client.String("RequestHeaderEncoding"),
            ResponseHeaderEncoding = client.String("ResponseHeaderEncoding"),
            WebProxy = webProxy,
        };
    }

    private static ForwarderRequestConfig? ReadHttpRequest(Fields request)
    {
        if (!request.Exists)
        {
            return null;
        }

        request.Known("ActivityTimeout", "Version", "VersionPolicy", "AllowResponseBuffering");
        return new ForwarderRequestConfig
        {
            ActivityTimeout = request.TimeSpan("ActivityTimeout"),
            Version = request.Version("Version"),
            VersionPolicy = request.Enum<HttpVersionPolicy>("VersionPolicy"),
            AllowResponseBuffering = request.Bool("AllowResponseBuffering"),
        };
    }

    private delegate bool Parser<T>(string text, out T value);

    /// <summary>
    /// One object of the section, read key by key; every value that does not parse is reported at its path. Looks keys
    /// up in the object's own children, so the many keys a route or cluster leaves out cost nothing, and its path is
    /// put together only to report a problem.
    /// </summary>
    private readonly struct Fields
    {
        private readonly IConfigurationSection _section;
        private readonly IReadOnlyList<IConfigurationSection> _children;
        private readonly ConfigReader _reader;

        /// <param name="section">The object (a section with no value and no children when the file does not have it).</param>
        public Fields(IConfigurationSection section, ConfigReader reader)
        {
            _section = section;
            _children = ConfigReader.Children(section);
            _reader = reader;
        }

        /// <summary>The key is in the file with a value or children (an empty list counts; JSON null does not).</summary>
        public bool Exists => _section.Value is not null || _children.Count > 0;

        /// <summary>A nested object; one the file does not have reads as empty.</summary>
        public Fields Child(string key) => new(Find(key) ?? _section.GetSection(key), _reader);

        /// <summary>The object's children as objects (the destinations of a cluster), by key.</summary>
        public List<(string Key, Fields Child)> Children()
        {
            var children = new List<(string, Fields)>(_children.Count);
            for (var i = 0; i < _children.Count; i++)
            {
                children.Add((_children[i].Key, new Fields(_children[i], _reader)));
            }

            return children;
        }

        public void Known(params ReadOnlySpan<string> keys)
        {
            for (var i = 0; i < _children.Count; i++)
            {
                if (!ConfigReader.IsKnown(_children[i].Key, keys))
                {
                    _reader.CheckKeys(_section, keys);
                    return;
                }
            }
        }

        public void Report(string key, string message) => _reader.Report(ConfigReader.Child(ConfigReader.PathOf(_section), key), message);

        public string? String(string key) => Find(key) is { } child ? _reader.Value(child) : null;

        public bool? Bool(string key) => Find(key) is null ? null : _reader.Bool(_section, key);

        public TEnum? Enum<TEnum>(string key)
            where TEnum : struct, Enum => Find(key) is null ? null : _reader.Enum<TEnum>(_section, key);

        public int? Int32(string key) => Value(key, "a whole number", static (string text, out int value) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value));

        public long? Int64(string key) => Value(key, "a whole number", static (string text, out long value) => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value));

        /// <summary>A duration in YARP's format, [d.]hh:mm:ss[.fffffff].</summary>
        public TimeSpan? TimeSpan(string key) => Value(key, "a duration such as 00:00:30", static (string text, out TimeSpan value) => System.TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out value));

        /// <summary>An HTTP version such as 1.1 or 2 (YARP's reader adds the missing ".0").</summary>
        public Version? Version(string key) =>
            Instance(key, "a version such as 1.1 or 2", static (string text, out Version? value) => System.Version.TryParse(text.Contains('.') ? text : text + ".0", out value));

        public Uri? Uri(string key) => Instance(key, "an absolute address", static (string text, out Uri? value) => System.Uri.TryCreate(text, UriKind.Absolute, out value));

        /// <summary>A list of values, or null when it has none.</summary>
        public IReadOnlyList<string>? Strings(string key) => Find(key) is not null && _reader.Strings(_section, key) is { Count: > 0 } list ? [.. list] : null;

        /// <summary>A list of objects, null when the key is absent (an empty list is an empty list, as in YARP).</summary>
        public IReadOnlyList<T>? List<T>(string key, Func<Fields, T> read)
        {
            if (!Child(key).Exists)
            {
                return null;
            }

            return [.. _reader.Objects(_section, key, (reader, item) => read(new Fields(item, reader)))];
        }

        /// <summary>A map of names to values (metadata), or null when it has none.</summary>
        public IReadOnlyDictionary<string, string>? Map(string key) =>
            Find(key) is { } map && new Fields(map, _reader).Values() is { Count: > 0 } values ? new ReadOnlyDictionary<string, string>(values) : null;

        /// <summary>This object's keys and values (a transform, metadata).</summary>
        public Dictionary<string, string> Values()
        {
            var values = new Dictionary<string, string>(_children.Count, StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < _children.Count; i++)
            {
                if (_reader.Value(_children[i]) is { } value)
                {
                    values[_reader.Shared(_children[i].Key)] = value;
                }
            }

            return values;
        }

        private IConfigurationSection? Find(string key)
        {
            for (var i = 0; i < _children.Count; i++)
            {
                if (string.Equals(_children[i].Key, key, StringComparison.OrdinalIgnoreCase))
                {
                    return _children[i];
                }
            }

            return null;
        }

        private T? Value<T>(string key, string expected, Parser<T> parse)
            where T : struct => Parse(key, expected, parse, out var value) ? value : null;

        private T? Instance<T>(string key, string expected, Parser<T?> parse)
            where T : class => Parse(key, expected, parse, out var value) ? value : null;

        /// <summary>True with the value when the key has one that parses; a value that does not is reported.</summary>
        private bool Parse<T>(string key, string expected, Parser<T> parse, out T value)
        {
            value = default!;
            if (Text(key) is not { } text)
            {
                return false;
            }

            if (parse(text, out value))
            {
                return true;
            }

            Report(key, "'" + text + "' is not " + expected);
            return false;
        }

        private string? Text(string key) => String(key) is { Length: > 0 } text ? text : null;
    }
}
