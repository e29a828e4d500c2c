namespace Micromastery.Hub.LemonSqueezy;

internal sealed class LemonSqueezyOptions
{
    public const string Section = "LemonSqueezy";

    /// <summary>The signing secret set on the Lemon Squeezy webhook; POST /webhooks/lemonsqueezy answers 503 without it.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>An API key (Settings → API) for polling orders; a test-mode key sees test orders. Without it the check waits for webhooks.</summary>
    public string? ApiKey { get; set; }

    /// <summary>API root (the client appends <c>v1/…</c>); tests point it at a stand-in.</summary>
    public string BaseUrl { get; set; } = "https://api.lemonsqueezy.com/";
}
