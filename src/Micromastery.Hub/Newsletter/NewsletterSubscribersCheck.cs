using System.Globalization;
using System.Text.Json;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Newsletter;

/// <summary><c>newsletter.subscribers</c>: a Beehiiv publication has at least N active subscribers.</summary>
internal sealed class NewsletterSubscribersCheck(BeehiivApi beehiiv, TimeProvider clock) : IPollingCheckType
{
    // Counting stops at the threshold: 1 request for up to 100 subscribers, so a small 'min' stays one call.
    private const int MaxPages = 10;

    /// <summary>The type's name in the stack file.</summary>
    public const string Name = "newsletter.subscribers";

    public string Type => Name;

    public string HowVerified(CheckSpec check) => int.TryParse(check.Get("min"), CultureInfo.InvariantCulture, out var min)
        ? $"a newsletter with at least {min.ToString(CultureInfo.InvariantCulture)} active {(min == 1 ? "subscriber" : "subscribers")}, reported by Beehiiv"
        : "a newsletter with active subscribers, reported by Beehiiv";

    public string EvidenceTitle => "Subscriber goal reached (Beehiiv)";

    public string Description => "A Beehiiv publication has at least 'min' active subscribers.";

    public string DefaultSchedule => "0 */6 * * *";

    public IReadOnlyList<CheckParameter> Parameters { get; } =
    [
        new("publication", Required: true, "Beehiiv publication id (pub_…).",
            v => v.StartsWith("pub_", StringComparison.Ordinal) ? null : "a Beehiiv publication id starts with 'pub_'"),
        new("min", Required: true, "Smallest number of active subscribers that counts.",
            v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? null : "a whole number of at least 1"),
    ];

    public async Task<IReadOnlyList<Observation>> PollAsync(Stack.Micromastery micromastery, CheckSpec check, CancellationToken cancellationToken)
    {
        var publication = check.Get("publication")!;
        var min = int.Parse(check.Get("min")!, CultureInfo.InvariantCulture);
        long active = 0;
        string? cursor = null;
        for (var page = 0; page < MaxPages; page++)
        {
            using var document = await beehiiv.ActiveSubscriptionsAsync(publication, cursor, cancellationToken);
            var root = document.RootElement;
            if (root.Long("total_results") is { } total)
            {
                active = total;
                break;
            }

            active += document.DataArray().Count(s => s.Str("status") is null or "active");
            cursor = root.Str("next_cursor");
            var more = root.TryGetProperty("has_more", out var hasMore) && hasMore.ValueKind == JsonValueKind.True;
            if (active >= min || !more || cursor is null)
            {
                break;
            }
        }

        return
        [
            new Observation(NewsletterPublishedCheck.BeehiivSource, NewsletterSubscribersCheck.Name, $"{publication}:active>={active.ToString(CultureInfo.InvariantCulture)}",
                clock.GetUtcNow(), "https://app.beehiiv.com/subscribers",
                new Dictionary<string, string?> { ["publication"] = publication, ["active"] = active.ToString(CultureInfo.InvariantCulture) }),
        ];
    }

    public bool Satisfies(CheckSpec check, Observation observation) =>
        observation.Kind == NewsletterSubscribersCheck.Name
        && observation.Fact("publication") == check.Get("publication")
        && long.TryParse(observation.Fact("active"), CultureInfo.InvariantCulture, out var active)
        && int.TryParse(check.Get("min"), CultureInfo.InvariantCulture, out var min)
        && active >= min;

    public string ContextNoun => "publication";

    public string? ContextOf(Observation observation) => observation.Fact("publication");
}
