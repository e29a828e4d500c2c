namespace Micromastery.Hub.CalCom;

internal sealed class CalComOptions
{
    public const string Section = "CalCom";

    /// <summary>An API key (<c>cal_live_…</c> or <c>cal_test_…</c>) from Settings → Developer → API keys.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The secret set on the Cal.com webhook; POST /webhooks/calcom answers 503 without it.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>API root (the client appends <c>v2/…</c>); tests point it at a stand-in.</summary>
    public string BaseUrl { get; set; } = "https://api.cal.com/";
}
