using System.Text;
using Gateway.Routing.Rules;

namespace Gateway.Tests.Routing;

public class StickyHashTests
{
    private const uint OffsetBasis = 2166136261;

    /// <summary>Byte-at-a-time FNV-1a written from the published definition, to check the chunked UTF-8 version.</summary>
    private static uint ReferenceFnv1a(byte[] bytes)
    {
        var h = OffsetBasis;
        foreach (var b in bytes)
        {
            h = unchecked((h ^ b) * 16777619);
        }

        return h;
    }

    [Theory]
    [InlineData("", 0x811c9dc5u)]
    [InlineData("a", 0xe40c292cu)]
    [InlineData("foobar", 0xbf9cf968u)]
    public void Append_PublishedFnv1aVectors(string text, uint expected)
    {
        StickyHash.Append(OffsetBasis, text).Should().Be(expected);
    }

    [Theory]
    [InlineData("泳道-用户-1001")]
    [InlineData("emoji-😀-key")]
    public void Append_NonAscii_HashesUtf8Bytes(string text)
    {
        StickyHash.Append(OffsetBasis, text).Should().Be(ReferenceFnv1a(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Append_KeyLongerThanTheBuffer_HashesAllBytesAcrossChunks()
    {
        var text = string.Concat(Enumerable.Range(0, 300).Select(i => "键" + i));

        StickyHash.Append(OffsetBasis, text).Should().Be(ReferenceFnv1a(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Bucket_SequentialKeys_SpreadEvenlyOverTenDeciles()
    {
        var seed = StickyHash.Seed("trade", "canary");
        var deciles = new int[10];

        for (var user = 0; user < 100_000; user++)
        {
            deciles[StickyHash.Bucket(seed, user.ToString(System.Globalization.CultureInfo.InvariantCulture)) / 100_000]++;
        }

        // Each decile expects 10,000 (binomial sd = sqrt(100000 * 0.1 * 0.9) = 95); 500 is over 5 sd.
        deciles.Should().OnlyContain(count => Math.Abs(count - 10_000) < 500);
    }
}
