using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.PublicPage;

/// <summary>
/// Rate limits on the public outputs (<see cref="PublicRateLimitOptions"/>): per client address, and a cap on how
/// many run at once for everybody together. Health, webhooks and the owner's pages are never limited here.
/// </summary>
internal static class PublicLimits
{
    /// <summary>Endpoint metadata of the public outputs: what the limits apply to.</summary>
    public sealed class Marker
    {
        public static readonly Marker Instance = new();

        private Marker()
        {
        }
    }

    private const string Everybody = "public";

    /// <summary>Marks a public output: served from <see cref="PublicCache"/> with ETags, and rate-limited.</summary>
    public static TBuilder CachedPublicOutput<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, PublicAnswerFilter>().WithMetadata(Marker.Instance);

    public static IServiceCollection AddPublicLimits(this IServiceCollection services)
    {
        services.AddOptions<PublicRateLimitOptions>().BindConfiguration(PublicRateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptionsMonitor<PublicRateLimitOptions>>((limiter, limits) =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(PerAddress(limits), Together(limits));
            limiter.OnRejected = (rejected, _) =>
            {
                // The per-address bucket knows when its next token comes; a full queue of everybody's requests says 1 s.
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                var response = rejected.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                response.ContentType = "text/plain; charset=utf-8";
                return new ValueTask(response.WriteAsync("Too many requests: try again later.", rejected.HttpContext.RequestAborted));
            };
        });
        return services;
    }

    /// <summary>After routing (the limits apply by endpoint) and after the forwarded headers of known proxies (the limits apply by client address).</summary>
    public static WebApplication UsePublicLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    private static bool IsPublicOutput(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<Marker>() is not null;

    private static PartitionedRateLimiter<HttpContext> PerAddress(IOptionsMonitor<PublicRateLimitOptions> limits) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var settings = limits.CurrentValue;
            if (!IsPublicOutput(context) || settings.PermitsPerMinute == 0)
            {
                return RateLimitPartition.GetNoLimiter("");
            }

            // The address after forwarded headers from a known proxy only: the real client's, not the proxy's (AccessSetup).
            var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            return RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.Burst,
                TokensPerPeriod = Math.Max(1, settings.PermitsPerMinute / 60),
                ReplenishmentPeriod = settings.PermitsPerMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / settings.PermitsPerMinute),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });

    private static PartitionedRateLimiter<HttpContext> Together(IOptionsMonitor<PublicRateLimitOptions> limits) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var settings = limits.CurrentValue;
            if (!IsPublicOutput(context) || settings.ConcurrentRequests == 0)
            {
                return RateLimitPartition.GetNoLimiter("");
            }

            return RateLimitPartition.GetConcurrencyLimiter(Everybody, _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = settings.ConcurrentRequests,
                QueueLimit = settings.QueueLength,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        });
}
