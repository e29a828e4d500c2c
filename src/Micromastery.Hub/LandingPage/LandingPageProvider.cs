using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Providers;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.LandingPage;

/// <summary>Any web page: answers 200 over valid TLS and shows the expected text. Fetched by the hub; no credential, no webhook.</summary>
internal sealed class LandingPageProvider(LandingPageProbe probe) : IProvider, IProviderRegistration
{
    public static void Register(IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LandingPageOptions>().BindConfiguration(LandingPageOptions.Section);
        builder.Services.AddSingleton<PageFetcher>();
        builder.Services.AddPollingCheck<HttpPageCheck>();
        builder.Services.AddSingleton<LandingPageProbe>();
    }

    public string Name => HttpPageCheck.Source;

    public string DisplayName => "Web page";

    public IWebhookSource? Webhook => null;

    public string? ApiKeySetting => null;

    public bool? ApiKeyIsSet => null;

    public string? ApiKeyUse => null;

    public ConnectionStep NextStep(string? webhookUrl) =>
        new("Nothing to connect: the check fetches the page's public address itself. Test connection shows which certificate roots it trusts (Web:ExtraRootCertificates, for a page behind your own CA).");

    public IConfigurationProbe Probe => probe;

    public IReadOnlyList<string> CheckTypes { get; } = [HttpPageCheck.Name];
}
