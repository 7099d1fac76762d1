using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Gateway.Host.Config;

internal sealed partial class ConfigTree
{
    /// <summary>
    /// Rejects what the configuration system would read differently from the JSON: a key twice in one object (keys
    /// are case-insensitive), and ':' in route and lane keys. Works on the raw UTF-8 names, so checking a large config
    /// allocates next to nothing; the path of a bad key is put together only while the error unwinds.
    /// </summary>
    private static void Check(JsonElement element, bool routing, bool top)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                try
                {
                    Check(item, routing, top: false);
                }
                catch (KeyProblem problem)
                {
                    throw problem.Under(index.ToString(CultureInfo.InvariantCulture));
                }

                index++;
            }

            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var count = 0;
        var escaped = false;
        foreach (var property in element.EnumerateObject())
        {
            var name = JsonMarshal.GetRawUtf8PropertyName(property);
            escaped |= name.Contains((byte)'\\');
            var childRouting = routing || (top && (Ascii.EqualsIgnoreCase(name, "ReverseProxy"u8) || Ascii.EqualsIgnoreCase(name, "Lanes"u8)));
            if (childRouting && name.Contains((byte)':'))
            {
                throw new KeyProblem(property.Name, "contains ':'; write nested objects instead");
            }

            try
            {
                Check(property.Value, childRouting, top: false);
            }
            catch (KeyProblem problem)
            {
                throw problem.Under(property.Name);
            }

            count++;
        }

        if (count > 1)
        {
            CheckDuplicates(element, count <= SmallObject && !escaped);
        }
    }

    private static void CheckDuplicates(JsonElement element, bool pairwise)
    {
        if (pairwise)
        {
            var i = 0;
            foreach (var property in element.EnumerateObject())
            {
                var name = JsonMarshal.GetRawUtf8PropertyName(property);
                var j = 0;
                foreach (var earlier in element.EnumerateObject())
                {
                    if (j++ == i)
                    {
                        break;
                    }

                    if (Ascii.EqualsIgnoreCase(name, JsonMarshal.GetRawUtf8PropertyName(earlier)))
                    {
                        throw new KeyProblem(property.Name, "appears twice (keys are case-insensitive)");
                    }
                }

                i++;
            }

            return;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw new KeyProblem(property.Name, "appears twice (keys are case-insensitive)");
            }
        }
    }

    /// <summary>A bad key, with its path growing as the check unwinds.</summary>
    private sealed class KeyProblem(string path, string problem) : Exception("key '" + path + "' " + problem)
    {
        public KeyProblem Under(string parent) => new(parent + ConfigurationPath.KeyDelimiter + path, problem);
    }
}
