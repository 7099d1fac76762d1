namespace Lanes.Propagation;

/// <summary>The ServiceDiscovery name of one lane of one service, and where its round robin stands.</summary>
internal sealed class EndpointSet(string query, string lane)
{
    private int _next = -1;

    /// <summary>What <c>ServiceEndpointResolver</c> is asked: <c>http://_gray.payments</c> or <c>http://payments</c>.</summary>
    public string Query { get; } = query;

    public string Lane { get; } = lane;

    /// <summary>Where this call starts in a list of <paramref name="count"/> endpoints.</summary>
    public int Start(int count) => count <= 1 ? 0 : (int)((uint)Interlocked.Increment(ref _next) % (uint)count);
}
