namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>Waits for background work (Hangfire jobs) to show its effect, up to a generous deadline.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {seconds} s waiting for {what}; last value: {value}");
            }

            await Task.Delay(50);
        }
    }
}
