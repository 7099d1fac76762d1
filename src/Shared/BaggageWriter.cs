using System.Buffers;

namespace Lanes.Wire;

/// <summary>
/// Builds one <c>baggage</c> header value (<c>user=42,region=eu,lane=gray</c>) in a pooled buffer, so that carrying the
/// lane along with other entries allocates only the value handed on.
/// </summary>
internal ref struct BaggageWriter
{
    private char[]? _buffer;
    private int _length;

    /// <summary>Whether no entry was written: the lane's entry alone is the whole value.</summary>
    public readonly bool IsEmpty => _length == 0;

    /// <summary>Appends an entry as it came in a header: already in its wire form.</summary>
    public void AppendMember(scoped ReadOnlySpan<char> member)
    {
        Separate();
        Write(member);
    }

    /// <summary>Appends <c>name=value</c>, both percent-encoded, as .NET's own propagator writes an activity's baggage.</summary>
    public void AppendEscaped(scoped ReadOnlySpan<char> name, scoped ReadOnlySpan<char> value)
    {
        Separate();
        WriteEscaped(name);
        Write("=");
        WriteEscaped(value);
    }

    /// <summary>
    /// The value: the lane's entry (<c>lane=gray</c>) first, then the others; the buffer goes back to the pool.
    /// First, because OpenTelemetry's baggage reader stops after 180 entries or 8,192 characters: the lane must not
    /// be what a long baggage of the caller's pushes past that.
    /// </summary>
    public string Finish(string laneEntry) => Release(string.Concat(laneEntry, ",", _buffer.AsSpan(0, _length)));

    /// <summary>The value of the entries written, without a lane entry; the buffer goes back to the pool.</summary>
    public string Finish() => Release(new string(_buffer.AsSpan(0, _length)));

    /// <summary>Gives the buffer back once <paramref name="value"/> has been copied out of it.</summary>
    private string Release(string value)
    {
        ArrayPool<char>.Shared.Return(_buffer!);
        _buffer = null;
        _length = 0;
        return value;
    }

    private void Separate()
    {
        if (_length > 0)
        {
            Write(",");
        }
    }

    private void Write(scoped ReadOnlySpan<char> text)
    {
        Reserve(text.Length);
        text.CopyTo(_buffer.AsSpan(_length));
        _length += text.Length;
    }

    private void WriteEscaped(scoped ReadOnlySpan<char> text)
    {
        Reserve(text.Length);
        int written;
        while (!Uri.TryEscapeDataString(text, _buffer.AsSpan(_length), out written))
        {
            Reserve(_buffer!.Length - _length + 1);
        }

        _length += written;
    }

    /// <summary>Makes room for <paramref name="count"/> more characters.</summary>
    private void Reserve(int count)
    {
        if (_buffer is not null && _length + count <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<char>.Shared.Rent(Math.Max(256, 2 * (_length + count)));
        if (_buffer is not null)
        {
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<char>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }
}
