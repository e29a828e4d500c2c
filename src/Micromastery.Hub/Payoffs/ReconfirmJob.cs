using Hangfire;

namespace Micromastery.Hub.Payoffs;

/// <summary>
/// The recurring re-confirmation of one micromastery's evidence (<c>reconfirm:{slug}</c>). A source that
/// could not be asked fails the job, and <see cref="CheckRetryAttribute"/> retries it with the checks' rules
/// (backoff, Retry-After honoured); what was answered is already recorded.
/// </summary>
internal sealed class ReconfirmJob(Reconfirmer reconfirmer)
{
    public const string IdPrefix = "reconfirm:";

    public static string IdFor(string slug) => IdPrefix + slug;

    [AutomaticRetry(Attempts = 0)]
    [CheckRetry(Attempts = 5)]
    [JobDisplayName("Re-confirm {0}")]
    public async Task RunAsync(string slug, CancellationToken cancellationToken)
    {
        var result = await reconfirmer.RunAsync(slug, cancellationToken);
        if (result?.Failure is { } failure)
        {
            // The hub's message only: an upstream cause may repeat the request's credentials.
            throw new CheckUnavailableException(failure.Message, failure.RetryAfter);
        }
    }
}
