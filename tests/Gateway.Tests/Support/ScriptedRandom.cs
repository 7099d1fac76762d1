namespace Gateway.Tests.Support;

/// <summary>A random source that returns scripted values, so key-less percentage draws are deterministic in tests.</summary>
internal sealed class ScriptedRandom(params int[] values) : Random
{
    private int _next;

    public int Calls => _next;

    public override int Next(int maxValue) => values[_next++ % values.Length] % maxValue;
}
