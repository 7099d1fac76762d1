using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Routing.Clients;

/// <summary>
/// IP range to location table loaded once from a CSV file (<c>start_ip,end_ip,city,province,country</c>), kept as sorted
/// arrays per address family and searched by binary search. Ranges may not overlap. The location is the string
/// <c>city,province,country</c>, which city rules match part by part.
/// </summary>
public sealed class CityDatabase
{
    private readonly uint[] _v4Starts;
    private readonly uint[] _v4Ends;
    private readonly string[] _v4Locations;
    private readonly UInt128[] _v6Starts;
    private readonly UInt128[] _v6Ends;
    private readonly string[] _v6Locations;

    private CityDatabase(List<Range<uint>> v4, List<Range<UInt128>> v6)
    {
        _v4Starts = [.. v4.Select(r => r.Start)];
        _v4Ends = [.. v4.Select(r => r.End)];
        _v4Locations = [.. v4.Select(r => r.Location)];
        _v6Starts = [.. v6.Select(r => r.Start)];
        _v6Ends = [.. v6.Select(r => r.End)];
        _v6Locations = [.. v6.Select(r => r.Location)];
    }

    public int Count => _v4Starts.Length + _v6Starts.Length;

    public string? Find(IPAddress address)
    {
        address = ClientAddress.Normalize(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            return null;
        }

        return written == 4
            ? Find(_v4Starts, _v4Ends, _v4Locations, BinaryPrimitives.ReadUInt32BigEndian(bytes))
            : Find(_v6Starts, _v6Ends, _v6Locations, BinaryPrimitives.ReadUInt128BigEndian(bytes));
    }

    private static string? Find<T>(T[] starts, T[] ends, string[] locations, T key)
        where T : IComparable<T>
    {
        // The last range starting at or before the key is the only one that can hold it (ranges do not overlap).
        var index = Array.BinarySearch(starts, key);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return index >= 0 && key.CompareTo(ends[index]) <= 0 ? locations[index] : null;
    }

    /// <summary>Loads a file, appending a message per bad line ("line 12: ...") to <paramref name="errors"/>.</summary>
    public static CityDatabase? Load(string file, List<string> errors)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add("cannot read '" + file + "': " + ex.Message);
            return null;
        }

        return Parse(lines, errors);
    }

    public static CityDatabase? Parse(IReadOnlyList<string> lines, List<string> errors)
    {
        var v4 = new List<Range<uint>>();
        var v6 = new List<Range<UInt128>>();
        var firstError = errors.Count;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#' || line.StartsWith("start_ip", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var where = "line " + (i + 1).ToString(CultureInfo.InvariantCulture) + ": ";
            var fields = line.Split(',');
            if (fields.Length != 5)
            {
                errors.Add(where + "expected 5 fields (start_ip,end_ip,city,province,country), found " + fields.Length.ToString(CultureInfo.InvariantCulture));
                continue;
            }

            if (!IPAddress.TryParse(fields[0].Trim(), out var start) || !IPAddress.TryParse(fields[1].Trim(), out var end))
            {
                errors.Add(where + "'" + fields[0].Trim() + "' or '" + fields[1].Trim() + "' is not an IP address");
                continue;
            }

            start = ClientAddress.Normalize(start);
            end = ClientAddress.Normalize(end);
            var location = string.Join(',', fields[2].Trim(), fields[3].Trim(), fields[4].Trim());
            if (start.AddressFamily != end.AddressFamily)
            {
                errors.Add(where + "start and end are of different address families");
            }
            else if (start.AddressFamily == AddressFamily.InterNetwork)
            {
                Add(v4, BinaryPrimitives.ReadUInt32BigEndian(start.GetAddressBytes()), BinaryPrimitives.ReadUInt32BigEndian(end.GetAddressBytes()), location, i + 1, where, errors);
            }
            else
            {
                Add(v6, BinaryPrimitives.ReadUInt128BigEndian(start.GetAddressBytes()), BinaryPrimitives.ReadUInt128BigEndian(end.GetAddressBytes()), location, i + 1, where, errors);
            }
        }

        CheckOverlaps(v4, errors);
        CheckOverlaps(v6, errors);
        return errors.Count > firstError ? null : new CityDatabase(v4, v6);
    }

    private static void Add<T>(List<Range<T>> ranges, T start, T end, string location, int line, string where, List<string> errors)
        where T : IComparable<T>
    {
        if (start.CompareTo(end) > 0)
        {
            errors.Add(where + "start_ip is after end_ip");
            return;
        }

        ranges.Add(new Range<T>(start, end, location, line));
    }

    private static void CheckOverlaps<T>(List<Range<T>> ranges, List<string> errors)
        where T : IComparable<T>
    {
        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (var i = 1; i < ranges.Count; i++)
        {
            if (ranges[i].Start.CompareTo(ranges[i - 1].End) <= 0)
            {
                errors.Add("line " + ranges[i].Line.ToString(CultureInfo.InvariantCulture) + ": range overlaps the range on line "
                    + ranges[i - 1].Line.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    private readonly record struct Range<T>(T Start, T End, string Location, int Line);
}
