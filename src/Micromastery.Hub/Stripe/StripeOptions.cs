namespace Micromastery.Hub.Stripe;

internal sealed class StripeOptions
{
    public const string Section = "Stripe";

    /// <summary>The endpoint's signing secret (<c>whsec_…</c>) from the Stripe dashboard or <c>stripe listen</c>.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>How old a signed delivery may be, in seconds (Stripe's recommendation: 300).</summary>
    public int ToleranceSeconds { get; set; } = 300;

    /// <summary>A test-mode secret or restricted key (<c>sk_test_…</c>/<c>rk_test_…</c>) for the polling fallback; read access suffices.</summary>
    public string? ApiKey { get; set; }

    /// <summary>API root; tests point it at a stand-in.</summary>
    public string ApiBase { get; set; } = "https://api.stripe.com";
}
