namespace Micromastery.Hub.Webhooks;

/// <summary>
/// The rules every webhook delivery passes before it is stored, whichever the provider: a configured
/// secret, a signature header, the provider's own verification, ids that fit the inbox.
/// </summary>
internal static class WebhookOpening
{
    public static WebhookCheck Check(IWebhookSource source, IHeaderDictionary headers, WebhookBody body)
    {
        if (source.Secret is not { } secret || string.IsNullOrWhiteSpace(secret))
        {
            // Fail closed; 503 makes the provider retry, so deliveries get through once the secret is set.
            return new WebhookCheck.Rejected(StatusCodes.Status503ServiceUnavailable, $"{source.DisplayName} webhooks are not configured: set {source.SecretKey}");
        }

        var signature = source.SignatureHeader is { } header ? headers[header].ToString() : "";
        if (source.SignatureHeader is not null && string.IsNullOrWhiteSpace(signature))
        {
            return new WebhookCheck.Rejected(StatusCodes.Status400BadRequest, $"missing {source.SignatureHeader} header");
        }

        var check = source.Verify(secret, signature, headers, body);
        if (check is WebhookCheck.Accepted accepted && InboxEvent.Problem(accepted.EventId, accepted.EventType) is { } tooLong)
        {
            // Refused before the group commit: one oversized id must never fail the batch it would share.
            return new WebhookCheck.Rejected(StatusCodes.Status400BadRequest, tooLong);
        }

        return check;
    }
}
