using System.Globalization;

namespace Gateway.Tests.Support;

internal static class LaneAssignments
{
    public static string User(int i) => "user-" + i.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Sends one request per user id through the gateway (16 at a time) and returns the lane of the backend that
    /// served each; also checks that every backend received exactly the tag of its own lane.
    /// </summary>
    public static async Task<string[]> ServedLanesAsync(HttpClient client, string path, int users)
    {
        var lanes = new string[users];
        await Parallel.ForEachAsync(Enumerable.Range(0, users), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var reply = await client.GetEchoAsync(path, ("x-user-id", User(i)));
            reply.ReceivedTag.Should().Be(reply.Lane == "base" ? null : reply.Lane);
            lanes[i] = reply.Lane;
        });
        return lanes;
    }
}
