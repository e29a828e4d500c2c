using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace Micromastery.Hub.Payoffs;

/// <summary>The polling clients' shared resilience handler, configured from <see cref="PollingOptions"/>.</summary>
internal static class PollingResilience
{
    public static IHttpClientBuilder AddPollingResilience(this IHttpClientBuilder builder)
    {
        builder.AddResilienceHandler("polling", (pipeline, context) =>
            Configure(pipeline, context.ServiceProvider.GetRequiredService<IOptions<PollingOptions>>().Value));
        return builder;
    }

    /// <summary>Builds the policy; also used where a client needs its own handler per call (http.page).</summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, PollingOptions options)
    {
        var maxRetryAfter = TimeSpan.FromSeconds(options.MaxInCallRetryAfterSeconds);
        if (options.Retries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.Retries,
                Delay = TimeSpan.FromMilliseconds(options.RetryDelayMs),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, maxRetryAfter)),
            });
        }

        pipeline.AddTimeout(TimeSpan.FromMilliseconds(options.AttemptTimeoutMs));
    }

    /// <summary>Retried in the call: network errors, attempt timeouts, 408, 5xx, and 429 whose Retry-After is short.</summary>
    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter)
    {
        if (outcome.Exception is HttpRequestException or TimeoutRejectedException)
        {
            return true;
        }

        if (outcome.Result is not { } response)
        {
            return false;
        }

        var transient = response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
        return transient && !(RetryAfter(response) > maxRetryAfter);
    }

    /// <summary>The response's Retry-After as a delay, when it has one.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta;
        }

        return retryAfter.Date is { } date ? date - DateTimeOffset.UtcNow : null;
    }

    /// <summary>Turns a response that is not a trustworthy answer into <see cref="CheckUnavailableException"/>.</summary>
    public static CheckUnavailableException Unavailable(string service, HttpResponseMessage response) =>
        new($"{service} answered {(int)response.StatusCode} {response.ReasonPhrase}", RetryAfter(response));

    /// <summary>Turns a transport failure (network error, timeout) into <see cref="CheckUnavailableException"/>.</summary>
    public static CheckUnavailableException Unavailable(string service, Exception exception) => exception switch
    {
        TimeoutRejectedException or TaskCanceledException => new($"{service} did not answer in time", null, exception),
        _ => new($"{service} could not be reached: {exception.GetType().Name}", null, exception),
    };
}
