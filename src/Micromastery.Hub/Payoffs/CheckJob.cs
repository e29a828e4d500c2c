using Hangfire;

namespace Micromastery.Hub.Payoffs;

/// <summary>
/// The recurring job of one polling check (<c>check:{slug}:{checkId}</c>). No DisableConcurrentExecution:
/// its lock is per method, so it would queue every check behind the slowest service, and two polls of one
/// check overlapping are harmless (the ledger and the status write are idempotent).
/// </summary>
internal sealed class CheckJob(CheckRunner runner)
{
    public const string IdPrefix = "check:";

    public static string IdFor(string slug, string checkId) => $"{IdPrefix}{slug}:{checkId}";

    // AutomaticRetry(0) replaces Hangfire's global 10-attempt retry: CheckRetry decides, honouring Retry-After.
    [AutomaticRetry(Attempts = 0)]
    [CheckRetry(Attempts = 5)]
    [JobDisplayName("Check {0} / {1}")]
    public async Task RunAsync(string slug, string checkId, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(slug, checkId, cancellationToken);
        if (result?.Failure is { } failure)
        {
            // Failing the job hands it to CheckRetry; the status already says unknown. Hangfire keeps and shows
            // the whole exception, so it gets the hub's message only: an upstream cause (an error body, a
            // proxy's page) may repeat the request's credentials.
            throw new CheckUnavailableException(failure.Message, failure.RetryAfter);
        }
    }
}
