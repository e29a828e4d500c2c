using System.Net;
using Micromastery.Hub.Payoffs;
using Microsoft.Extensions.Options;
using global::Stripe;
using global::Stripe.Checkout;

namespace Micromastery.Hub.Stripe;

/// <summary>
/// Stripe through Stripe.net's <see cref="StripeClient"/>, on the hub's resilient HTTP client (Stripe.net's
/// own network retries are off, so there is one retry policy, not two). One list call per check per poll.
/// </summary>
internal sealed class StripeApi(IOptionsMonitor<StripeOptions> options, IHttpClientFactory httpClients)
{
    public const string HttpClientName = "stripe";
    private const string Service = "Stripe";
    private const int PageSize = 20;

    /// <summary>The newest succeeded test-mode payment intents created since <paramref name="since"/> (the practice window's start).</summary>
    public Task<IReadOnlyList<Payoffs.Observation>> SucceededPaymentsAsync(DateTimeOffset since, CancellationToken cancellationToken) => CallAsync<IReadOnlyList<Payoffs.Observation>>(async client =>
    {
        var page = await client.V1.PaymentIntents.ListAsync(new PaymentIntentListOptions { Limit = PageSize, Created = CreatedSince(since) }, cancellationToken: cancellationToken);
        return page.Data
            .Where(pi => pi.Status == "succeeded" && !pi.Livemode)
            .Select(pi => StripePayments.Observation(pi.Id, pi.AmountReceived, pi.Currency, null, new DateTimeOffset(pi.Created, TimeSpan.Zero)))
            .ToList();
    });

    /// <summary>The newest paid test-mode Checkout Sessions of a Payment Link created since <paramref name="since"/> (payments carry no link otherwise).</summary>
    public Task<IReadOnlyList<Payoffs.Observation>> PaidSessionsAsync(string paymentLink, DateTimeOffset since, CancellationToken cancellationToken) => CallAsync<IReadOnlyList<Payoffs.Observation>>(async client =>
    {
        var page = await client.V1.Checkout.Sessions.ListAsync(new SessionListOptions { PaymentLink = paymentLink, Status = "complete", Limit = PageSize, Created = CreatedSince(since) }, cancellationToken: cancellationToken);
        return page.Data
            .Where(s => s.PaymentStatus == "paid" && !s.Livemode)
            .Select(s => StripePayments.Observation(s.PaymentIntentId ?? s.Id, s.AmountTotal, s.Currency, s.PaymentLinkId ?? paymentLink, new DateTimeOffset(s.Created, TimeSpan.Zero)))
            .ToList();
    });

    /// <summary>
    /// What Stripe says now about one payment the hub recorded: still succeeded, test mode, not fully refunded.
    /// Ids are payment intents (pi_), charges (ch_) or, for a session without an intent, Checkout Sessions (cs_).
    /// </summary>
    public Task<Recheck> RecheckPaymentAsync(string id, CancellationToken cancellationToken) => CallAsync<Recheck>(async client =>
    {
        try
        {
            if (id.StartsWith("pi_", StringComparison.Ordinal))
            {
                var intent = await client.V1.PaymentIntents.GetAsync(id, new PaymentIntentGetOptions { Expand = ["latest_charge"] }, cancellationToken: cancellationToken);
                return intent.Status != "succeeded" ? Answer(id, RecheckStates.Gone, $"payment intent status is {intent.Status}")
                    : intent.Livemode ? Answer(id, RecheckStates.Gone, "payment is in live mode")
                    : Refunds(id, intent.LatestCharge);
            }

            if (id.StartsWith("ch_", StringComparison.Ordinal))
            {
                var charge = await client.V1.Charges.GetAsync(id, cancellationToken: cancellationToken);
                return charge.Paid && charge.Captured ? Refunds(id, charge) : Answer(id, RecheckStates.Gone, "charge is not paid and captured");
            }

            var session = await client.V1.Checkout.Sessions.GetAsync(id, cancellationToken: cancellationToken);
            return session.PaymentStatus == "paid" ? Answer(id, RecheckStates.Confirmed, null) : Answer(id, RecheckStates.Gone, $"session payment status is {session.PaymentStatus}");
        }
        catch (StripeException ex) when (ex.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return Answer(id, RecheckStates.Gone, "Stripe has no such payment (deleted, or another account)");
        }
    });

    private static Recheck Refunds(string id, Charge? charge) =>
        charge is { AmountRefunded: > 0 } refunded
            ? StripePayments.Refunded(id, refunded.Refunded, refunded.AmountRefunded, refunded.Amount, refunded.Currency)
            : Answer(id, RecheckStates.Confirmed, null);

    private static Recheck Answer(string id, string state, string? detail) =>
        new(StripePayments.Source, StripeTestPaymentCheck.Name, id, state, detail);

    public Task<IReadOnlyList<PaymentLink>> ActivePaymentLinksAsync(CancellationToken cancellationToken) => CallAsync<IReadOnlyList<PaymentLink>>(async client =>
        (await client.V1.PaymentLinks.ListAsync(new PaymentLinkListOptions { Active = true, Limit = PageSize }, cancellationToken: cancellationToken)).Data);

    // created[gte]: Stripe returns only objects from the practice window, so a poll never pages through old history.
    private static DateRangeOptions CreatedSince(DateTimeOffset since) => new() { GreaterThanOrEqual = since.UtcDateTime };

    private async Task<T> CallAsync<T>(Func<StripeClient, Task<T>> call)
    {
        var settings = options.CurrentValue;
        if (string.IsNullOrWhiteSpace(settings.ApiKey))
        {
            throw new CheckNotConfiguredException($"{StripeOptions.Section}:{nameof(StripeOptions.ApiKey)}");
        }

        var client = new StripeClient(new StripeClientOptions
        {
            ApiKey = settings.ApiKey,
            ApiBase = settings.ApiBase.TrimEnd('/'),
            HttpClient = new SystemNetHttpClient(httpClients.CreateClient(HttpClientName), maxNetworkRetries: 0, appInfo: null, enableTelemetry: false),
        });
        try
        {
            return await call(client);
        }
        catch (StripeException ex) when (ex.HttpStatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new CheckNotConfiguredException($"{StripeOptions.Section}:{nameof(StripeOptions.ApiKey)} (Stripe rejected the key)", rejected: true);
        }
        catch (StripeException ex)
        {
            // Stripe's message stays out of ours: an error body may repeat the request's credentials.
            var retryAfter = ex.StripeResponse?.Headers?.RetryAfter?.Delta;
            var kind = ex.StripeError?.Type is { } type && type.All(c => c is >= 'a' and <= 'z' or '_') ? $" ({type})" : "";
            throw new CheckUnavailableException(ex.HttpStatusCode == 0 ? $"{Service} could not be reached" : $"{Service} answered {(int)ex.HttpStatusCode}{kind}", retryAfter, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException)
        {
            throw PollingResilience.Unavailable(Service, ex);
        }
    }
}
