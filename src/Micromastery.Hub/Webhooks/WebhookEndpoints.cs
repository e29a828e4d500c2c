using System.Text.Json;
using Micromastery.Hub.Access;
using Micromastery.Hub.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Webhooks;

/// <summary>
/// <c>POST /webhooks/{provider}</c> for every registered <see cref="IWebhookSource"/>:
/// verify, map, store with its evidence (<see cref="InboxWriter"/>), answer; what that could not record, <see cref="InboxDrainJob"/> processes later.
/// </summary>
internal static partial class WebhookEndpoints
{
    /// <summary>Largest body accepted (1 MiB); providers' events are far smaller.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private const string Refused = "Webhook refused";

    /// <summary>Where <paramref name="source"/>'s provider posts: <c>/webhooks/{provider}</c>.</summary>
    public static string PathOf(IWebhookSource source) => $"/webhooks/{source.Provider}";

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        // Public: each provider signs its requests, and the signature is the check (so the owner's schemes are not tried).
        var group = app.MapGroup("/webhooks").WithTags("Webhooks").PublicSignedByCaller();
        var logger = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Micromastery.Hub.Webhooks");
        var json = WebhookAck.FormatOf(app.ServiceProvider.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);
        var refusals = app.ServiceProvider.GetRequiredService<WebhookRefusals>();
        foreach (var source in app.ServiceProvider.GetServices<IWebhookSource>())
        {
            group.MapPost(PathOf(source)["/webhooks".Length..], (HttpContext context, InboxWriter inbox) => ReceiveAsync(context, source, inbox, logger, json, refusals));
        }

        return app;
    }

    /// <summary>The answer: the acknowledgement, or a problem whose status is the contract's (400/401 refused, 413, 503 retry later).</summary>
    private static async Task<Results<WebhookAck, ProblemHttpResult, StatusCodeHttpResult, EmptyHttpResult>> ReceiveAsync(HttpContext context, IWebhookSource source, InboxWriter inbox, ILogger logger, JsonWriterOptions json, WebhookRefusals refusals)
    {
        byte[]? bytes;
        try
        {
            bytes = await ReadBodyAsync(context.Request, context.RequestAborted);
        }
        catch (Exception ex) when (ClientGone(ex, context))
        {
            // A slow or vanished sender is the network's weather, not a fault of the hub: one line, no stack trace.
            LogClientGone(logger, source.Provider, ex.Message);
            return TypedResults.StatusCode(ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status400BadRequest);
        }

        if (bytes is null)
        {
            return Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large", $"body larger than {MaxBodyBytes} bytes");
        }

        var body = new WebhookBody(bytes);
        switch (WebhookOpening.Check(source, context.Request.Headers, body))
        {
            case WebhookCheck.Rejected rejected:
                LogRejected(logger, source.Provider, rejected.StatusCode, rejected.Reason);
                refusals.Count(source.Provider, secretMissing: rejected.StatusCode == StatusCodes.Status503ServiceUnavailable);
                return Problems.Status(rejected.StatusCode, Refused, rejected.Reason);

            case WebhookCheck.Accepted accepted:
                // Decoded once: by the verification if it needed the text, else here.
                if (body.Text is not { } text)
                {
                    // JSON is UTF-8 (RFC 8259); a lenient decode would store other bytes than the provider signed.
                    const string reason = "body is not valid UTF-8";
                    LogRejected(logger, source.Provider, StatusCodes.Status400BadRequest, reason);
                    return Problems.Status(StatusCodes.Status400BadRequest, Refused, reason);
                }

                try
                {
                    var result = await inbox.WriteAsync(
                        new InboxEvent(source.Provider, accepted.EventId, accepted.EventType, text),
                        context.RequestAborted);
                    return new WebhookAck(accepted.EventId, result == InboxWriteResult.Stored ? "stored" : "duplicate", json);
                }
                catch (OperationCanceledException ex) when (context.RequestAborted.IsCancellationRequested)
                {
                    // Gave up while the inbox queue was full; nothing was queued, and the provider retries.
                    LogClientGone(logger, source.Provider, ex.Message);
                    return TypedResults.Empty;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
                {
                    // Never 2xx without a commit: the provider retries a 503.
                    LogStoreFailed(logger, ex, source.Provider, accepted.EventId);
                    context.Response.Headers.RetryAfter = "30";
                    return Problems.Status(StatusCodes.Status503ServiceUnavailable, "Storage unavailable", "storage unavailable; retry later");
                }

            default:
                throw new InvalidOperationException("unreachable");
        }
    }

    /// <summary>The sender disconnected, stalled past Kestrel's minimum data rate, or sent a cut-off body.</summary>
    private static bool ClientGone(Exception ex, HttpContext context) =>
        ex is BadHttpRequestException or Microsoft.AspNetCore.Connections.ConnectionResetException
        || (ex is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested);

    /// <summary>The raw body, or null when it exceeds <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        var buffer = new byte[request.ContentLength is { } length ? (int)length : 16 * 1024];
        var read = 0;
        while (true)
        {
            if (read == buffer.Length)
            {
                if (buffer.Length > MaxBodyBytes)
                {
                    return null;
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxBodyBytes + 1));
            }

            var n = await request.Body.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
            if (read > MaxBodyBytes)
            {
                return null;
            }
        }

        return read == buffer.Length ? buffer : buffer[..read];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {Provider} webhook with {Status}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string provider, int status, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "A {Provider} webhook sender went away or stalled before its body was read: {Reason}")]
    private static partial void LogClientGone(ILogger logger, string provider, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Provider} event {EventId}; answered 503")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string provider, string eventId);
}
