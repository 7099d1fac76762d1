namespace Gateway.Tests.Support;

internal static class Eventually
{
    /// <summary>Repeats <paramref name="probe"/> until <paramref name="done"/> holds (15 s at most) and returns that value.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not reached within 15 s; last value: " + value);
            }

            await Task.Delay(100);
        }
    }
}
