using System.Collections.Concurrent;

namespace Micromastery.Hub.Webhooks;

/// <summary>
/// Deliveries refused at the door (bad or missing signature, no secret configured), counted per provider
/// over the last 24 hours in memory: nothing of a refused request is stored, and the count starts over with
/// the process. One slot per minute of the day, so the window slides by the minute and memory stays fixed.
/// </summary>
internal sealed class WebhookRefusals(TimeProvider clock)
{
    private const int Minutes = 24 * 60;

    private readonly ConcurrentDictionary<string, Window> _byProvider = new(StringComparer.Ordinal);

    public void Count(string provider, bool secretMissing) =>
        _byProvider.GetOrAdd(provider, _ => new Window()).Add(secretMissing, MinuteNow());

    /// <summary>Refusals in the last 24 hours: signature failures, and deliveries refused because no secret was set.</summary>
    public (long SignatureFailures, long SecretMissing) Last24Hours(string provider) =>
        _byProvider.TryGetValue(provider, out var window) ? window.Sum(MinuteNow()) : (0, 0);

    private long MinuteNow() => clock.GetUtcNow().ToUnixTimeSeconds() / 60;

    private sealed class Window
    {
        private readonly Lock _gate = new();
        private readonly long[] _minute = new long[Minutes];
        private readonly long[] _signature = new long[Minutes];
        private readonly long[] _secret = new long[Minutes];

        public void Add(bool secretMissing, long minute)
        {
            var slot = (int)(minute % Minutes);
            lock (_gate)
            {
                if (_minute[slot] != minute)
                {
                    (_minute[slot], _signature[slot], _secret[slot]) = (minute, 0, 0);
                }

                if (secretMissing)
                {
                    _secret[slot]++;
                }
                else
                {
                    _signature[slot]++;
                }
            }
        }

        public (long, long) Sum(long now)
        {
            long signature = 0, secret = 0;
            lock (_gate)
            {
                for (var i = 0; i < Minutes; i++)
                {
                    if (now - _minute[i] < Minutes)
                    {
                        signature += _signature[i];
                        secret += _secret[i];
                    }
                }
            }

            return (signature, secret);
        }
    }
}
