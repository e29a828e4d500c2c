using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.CalCom;

/// <summary>
/// Cal.com deliveries: <c>X-Cal-Signature-256</c> (hex HMAC-SHA256 of the raw body, no prefix). Cal.com
/// sends no delivery id, so the SHA-256 of the raw body is the de-duplication key: a retry of the same
/// delivery carries the same bytes. Booking triggers become booking observations.
/// </summary>
internal sealed class CalComWebhookSource(IOptionsMonitor<CalComOptions> options) : IWebhookSource
{
    public const string Name = "calcom";

    private static readonly HashSet<string> BookingTriggers = ["BOOKING_CREATED", "BOOKING_RESCHEDULED", "BOOKING_PAID", "BOOKING_REQUESTED"];

    public string Provider => Name;

    public string DisplayName => "Cal.com";

    public string SecretKey => $"{CalComOptions.Section}:{nameof(CalComOptions.WebhookSecret)}";

    public string? Secret => options.CurrentValue.WebhookSecret;

    public string SignatureHeader => "X-Cal-Signature-256";

    /// <summary>The top-level fields every Cal.com webhook carries.</summary>
    private static readonly byte[][] WebhookFields = ["triggerEvent"u8.ToArray(), "createdAt"u8.ToArray(), "payload"u8.ToArray()];

    private readonly SecretBytes _key = new();

    public WebhookCheck Verify(string secret, string signature, IHeaderDictionary headers, WebhookBody body)
    {
        // Cal.com sends the literal 'no-secret-provided' when the webhook has no secret: never accepted.
        if (!HmacSignature.Matches(_key.Of(secret), body.Bytes, signature))
        {
            return new WebhookCheck.Rejected(StatusCodes.Status400BadRequest, "invalid X-Cal-Signature-256 (is the same secret set on the Cal.com webhook?)");
        }

        // The top-level fields only; the booking payload is skipped here and read when the event is processed.
        Span<JsonValueAt> found = stackalloc JsonValueAt[3];
        if (TopLevelJson.TryRead(body.Bytes, WebhookFields, found)
            && found[0].IsString && found[0].GetString(body.Bytes) is { Length: > 0 } trigger
            && found[1].IsString && found[1].GetString(body.Bytes) is not null
            && found[2].IsObject)
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(body.Bytes, hash);
            return new WebhookCheck.Accepted(Convert.ToHexStringLower(hash), trigger);
        }

        return new WebhookCheck.Rejected(StatusCodes.Status400BadRequest, "body is not a Cal.com webhook: expected JSON with 'triggerEvent', 'createdAt' and 'payload'");
    }

    public InboxOutcome Map(StoredEvent stored)
    {
        if (stored.EventType == "BOOKING_CANCELLED")
        {
            using var cancelled = JsonDocument.Parse(stored.Body);
            return cancelled.RootElement.GetProperty("payload").Str("uid") is { Length: > 0 } cancelledUid
                ? InboxOutcome.Rechecked(new Recheck(CalComBookings.Source, CalComBookingCheck.Name, cancelledUid, RecheckStates.Gone, "booking cancelled"))
                : InboxOutcome.Ignored("cancelled booking payload has no uid");
        }

        if (!BookingTriggers.Contains(stored.EventType))
        {
            return InboxOutcome.Ignored($"trigger '{stored.EventType}' proves no payoff");
        }

        using var document = JsonDocument.Parse(stored.Body);
        var payload = document.RootElement.GetProperty("payload");
        if (payload.Str("uid") is not { Length: > 0 } uid)
        {
            return InboxOutcome.Ignored("booking payload has no uid");
        }

        var createdAt = DateTimeOffset.TryParse(document.RootElement.Str("createdAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : stored.ReceivedAt;
        return InboxOutcome.Observed(CalComBookings.Observation(uid, payload.Str("status"), payload.Long("eventTypeId"), payload.Str("type"), createdAt));
    }
}
