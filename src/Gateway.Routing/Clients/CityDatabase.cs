using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gateway.Routing.Files;

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

    /// <summary>Largest city database read (city-level databases of every IPv4 and IPv6 range are a few hundred MB).</summary>
    public const long MaxBytes = 512L * 1024 * 1024;

    /// <summary>Longest line kept (five short fields); a longer one is a problem, not a string in memory.</summary>
    public const int MaxLineLength = 1_000;

    /// <summary>Problems listed before the rest of a broken file is skipped.</summary>
    private const int MaxProblems = 100;

    /// <summary>
    /// Loads a file, appending a message per bad line to <paramref name="errors"/>. Only a regular file of at most
    /// <paramref name="maxBytes"/> is read, streamed. Messages name the file, line and field, never a line's content:
    /// the path may point at a file that is not ours.
    /// </summary>
    public static CityDatabase? Load(string file, List<string> errors, long maxBytes = MaxBytes)
    {
        if (RegularFile.Problem(file, maxBytes) is { } problem)
        {
            errors.Add(problem);
            return null;
        }

        var source = "'" + file + "'";
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan);
            return Parse(BoundedLines.Read(stream, maxBytes, MaxLineLength, source, errors), source, errors);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add("cannot read '" + file + "': " + ex.Message);
            return null;
        }
    }

    /// <summary>Parses lines (null: a line over <see cref="MaxLineLength"/>); <paramref name="source"/> names them in messages.</summary>
    public static CityDatabase? Parse(IEnumerable<string?> lines, string source, List<string> errors)
    {
        var v4 = new List<Range<uint>>();
        var v6 = new List<Range<UInt128>>();
        var firstError = errors.Count;
        var number = 0;
        foreach (var text in lines)
        {
            number++;
            if (errors.Count - firstError >= MaxProblems)
            {
                errors.Add(source + ": more problems after line " + number.ToString(CultureInfo.InvariantCulture) + " not listed");
                return null;
            }

            var where = source + " line " + number.ToString(CultureInfo.InvariantCulture);
            if (text is null)
            {
                errors.Add(where + ": longer than " + MaxLineLength.ToString("N0", CultureInfo.InvariantCulture) + " characters");
                continue;
            }

            var line = text.Trim();
            if (line.Length == 0 || line[0] == '#' || line.StartsWith("start_ip", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length != 5)
            {
                errors.Add(where + ": expected 5 fields (start_ip,end_ip,city,province,country), found " + fields.Length.ToString(CultureInfo.InvariantCulture));
                continue;
            }

            if (!IPAddress.TryParse(fields[0].Trim(), out var start))
            {
                errors.Add(where + ", field 1 (start_ip): not an IP address");
                continue;
            }

            if (!IPAddress.TryParse(fields[1].Trim(), out var end))
            {
                errors.Add(where + ", field 2 (end_ip): not an IP address");
                continue;
            }

            start = ClientAddress.Normalize(start);
            end = ClientAddress.Normalize(end);
            var location = string.Join(',', fields[2].Trim(), fields[3].Trim(), fields[4].Trim());
            if (start.AddressFamily != end.AddressFamily)
            {
                errors.Add(where + ": start_ip and end_ip are of different address families");
            }
            else if (start.AddressFamily == AddressFamily.InterNetwork)
            {
                Add(v4, BinaryPrimitives.ReadUInt32BigEndian(start.GetAddressBytes()), BinaryPrimitives.ReadUInt32BigEndian(end.GetAddressBytes()), location, number, where, errors);
            }
            else
            {
                Add(v6, BinaryPrimitives.ReadUInt128BigEndian(start.GetAddressBytes()), BinaryPrimitives.ReadUInt128BigEndian(end.GetAddressBytes()), location, number, where, errors);
            }
        }

        CheckOverlaps(v4, source, errors);
        CheckOverlaps(v6, source, errors);
        return errors.Count > firstError ? null : new CityDatabase(v4, v6);
    }

    private static void Add<T>(List<Range<T>> ranges, T start, T end, string location, int line, string where, List<string> errors)
        where T : IComparable<T>
    {
        if (start.CompareTo(end) > 0)
        {
            errors.Add(where + ": start_ip is after end_ip");
            return;
        }

        ranges.Add(new Range<T>(start, end, location, line));
    }

    private static void CheckOverlaps<T>(List<Range<T>> ranges, string source, List<string> errors)
        where T : IComparable<T>
    {
        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (var i = 1; i < ranges.Count; i++)
        {
            if (ranges[i].Start.CompareTo(ranges[i - 1].End) <= 0)
            {
                errors.Add(source + " line " + ranges[i].Line.ToString(CultureInfo.InvariantCulture) + ": range overlaps the range on line "
                    + ranges[i - 1].Line.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    private readonly record struct Range<T>(T Start, T End, string Location, int Line);
}
