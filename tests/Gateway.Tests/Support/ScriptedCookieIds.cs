using System.Security.Cryptography;

namespace Gateway.Tests.Support;

/// <summary>A "cryptographic" random source that fills every request with the next scripted byte, so issued ids are known in advance.</summary>
internal sealed class ScriptedCookieIds(params byte[] fills) : RandomNumberGenerator
{
    private int _next;

    public int Calls => _next;

    public override void GetBytes(byte[] data) => GetBytes(data.AsSpan());

    public override void GetBytes(Span<byte> data) => data.Fill(fills[_next++ % fills.Length]);

    /// <summary>The id issued from a fill byte: 16 such bytes in base64url.</summary>
    public static string IdOf(byte fill) => System.Buffers.Text.Base64Url.EncodeToString(Enumerable.Repeat(fill, 16).ToArray());
}
