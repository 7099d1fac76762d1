using System.Text.Unicode;

namespace Gateway.Routing.Rules;

/// <summary>
/// The stable hash behind percentage lanes: 32-bit FNV-1a over UTF-8, finished with Murmur3's fmix32 so that keys
/// differing only in their last characters (user 1001, 1002, ...) spread over the whole range. It is part of the
/// product's contract: changing it moves users between lanes on upgrade. Never <c>string.GetHashCode()</c>, which is
/// randomised per process.
/// </summary>
public static class StickyHash
{
    /// <summary>Buckets per lane: shares are resolved to 0.0001 %.</summary>
    public const int BucketCount = 1_000_000;

    private const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;

    /// <summary>The hash state after the salt; a lane computes it once per config.</summary>
    public static uint Seed(string group, string lane) => Append(Append(Append(Append(OffsetBasis, group), "\0"), lane), "\0");

    public static uint Append(uint state, ReadOnlySpan<char> text)
    {
        Span<byte> buffer = stackalloc byte[256];
        while (!text.IsEmpty)
        {
            Utf8.FromUtf16(text, buffer, out var read, out var written, replaceInvalidSequences: true, isFinalBlock: true);
            foreach (var b in buffer[..written])
            {
                state = (state ^ b) * Prime;
            }

            text = text[read..];
        }

        return state;
    }

    public static uint Finish(uint h)
    {
        h ^= h >> 16;
        h *= 0x85ebca6b;
        h ^= h >> 13;
        h *= 0xc2b2ae35;
        h ^= h >> 16;
        return h;
    }

    /// <summary>Maps a finished hash onto [0, <see cref="BucketCount"/>) by its high bits (no modulo bias).</summary>
    public static uint Bucket(uint hash) => (uint)(((ulong)hash * BucketCount) >> 32);

    public static uint Bucket(uint seed, ReadOnlySpan<char> key) => Bucket(Finish(Append(seed, key)));
}
