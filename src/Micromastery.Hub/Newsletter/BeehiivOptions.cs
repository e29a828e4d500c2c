namespace Micromastery.Hub.Newsletter;

internal sealed class BeehiivOptions
{
    public const string Section = "Beehiiv";

    /// <summary>A Beehiiv API key (Settings → API) with posts:read and subscriptions:read.</summary>
    public string? ApiKey { get; set; }

    /// <summary>API root (the client appends <c>v2/…</c>); tests point it at a stand-in.</summary>
    public string BaseUrl { get; set; } = "https://api.beehiiv.com/";
}
