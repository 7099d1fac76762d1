namespace Gateway.Tests.Support;

internal static class TestData
{
    /// <summary>The sample city database shipped in deploy/geo, copied next to the tests.</summary>
    public static string CitiesSample => Path.Combine(AppContext.BaseDirectory, "Data", "cities-sample.csv");
}
