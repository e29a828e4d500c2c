using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Micromastery.Hub.Providers;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Stripe;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;
using Micromastery.Hub.Webhooks;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Micromastery.Hub.Tests.Connections;

/// <summary>/connections over a hub whose services are WireMock stand-ins: what it says per provider, and Test connection.</summary>
[Collection(SqliteServicesCollection.Name)]
[Trait(Needs.Key, Needs.Host)]
public sealed partial class ConnectionsPageTests(SqliteServicesHub hub) : IAsyncLifetime
{
    private const string Stack = """
        timeZone: UTC
        micromasteries:
          - staple: stripe-payment-link
            started: 2026-11-20
            checks:
              - type: stripe.test-payment
        """;

    public Task InitializeAsync() => hub.ResetServicesAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Section(string html, string provider) =>
        Regex.Match(html, $"<section class=\"connection\" id=\"{provider}\".*?</section>", RegexOptions.Singleline).Value;

    [Fact]
    public async Task Page_ShowsTheWebhookUrl_SecretAndKeyState_TheLastDelivery_AndCountsSignatureFailures()
    {
        var before = hub.Service<WebhookRefusals>().Last24Hours("stripe").SignatureFailures;
        var body = StripeEvents.PaymentIntentSucceeded();
        Assert.Equal(HttpStatusCode.OK, (await hub.Client.PostWebhookAsync("stripe", body, ("Stripe-Signature", StripeEvents.Sign(body, HubFactory.StripeSecret)))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await hub.Client.PostWebhookAsync("stripe", body, ("Stripe-Signature", StripeEvents.Sign(body, "whsec_wrong")))).StatusCode);
        await hub.QuiesceAsync();

        var html = await hub.Client.GetStringAsync("/connections");
        var stripe = Regex.Replace(WebUtility.HtmlDecode(Regex.Replace(Section(html, "stripe"), "<[^>]+>", " ")), @"\s+", " ");

        Assert.Contains("http://localhost/webhooks/stripe", stripe, StringComparison.Ordinal);
        Assert.Contains("stripe listen --forward-to http://localhost/webhooks/stripe", stripe, StringComparison.Ordinal);
        Assert.Contains("Webhook secret set Stripe:WebhookSecret", stripe, StringComparison.Ordinal);
        Assert.Contains("API key set Stripe:ApiKey", stripe, StringComparison.Ordinal);
        Assert.Contains("payment_intent.succeeded at", stripe, StringComparison.Ordinal);
        Assert.Contains("processed", stripe, StringComparison.Ordinal);
        Assert.Equal(before + 1, hub.Service<WebhookRefusals>().Last24Hours("stripe").SignatureFailures);
        Assert.Contains($"{before + 1} signature failure", stripe, StringComparison.Ordinal);
        Assert.Contains("stripe-payment-link (stripe.test-payment)", stripe, StringComparison.Ordinal);
        Assert.Contains("<section class=\"connection\" id=\"newsletter\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryRegisteredProvider_HasASection_WithItsNextStep_AndItsCredentialKey()
    {
        var html = await hub.Client.GetStringAsync("/connections");

        var providers = hub.Service<IEnumerable<IProvider>>().ToList();
        Assert.Contains(providers, p => p.Name == "lemonsqueezy");
        Assert.All(providers, p =>
        {
            var section = WebUtility.HtmlDecode(Section(html, p.Name));
            Assert.False(section.Length == 0, $"/connections has no section for {p.Name}");
            Assert.Contains(p.DisplayName, section, StringComparison.Ordinal);
            Assert.Contains(p.NextStep(p.WebhookPath is null ? null : "http://localhost" + p.WebhookPath).Text, section, StringComparison.Ordinal);
            if (p.ApiKeySetting is { } key)
            {
                Assert.Contains(key, section, StringComparison.Ordinal);
            }
        });
    }

    [Fact]
    public async Task WebhookUrl_ComesFromPublicBaseUrl_WhenSet()
    {
        hub.SetSetting<PublicOptions>("Public:BaseUrl", "https://hub.example.com");
        try
        {
            var html = await hub.Client.GetStringAsync("/connections");

            Assert.Contains("https://hub.example.com/webhooks/github", Section(html, "github"), StringComparison.Ordinal);
        }
        finally
        {
            hub.SetSetting<PublicOptions>("Public:BaseUrl", null);
        }
    }

    [Fact]
    public async Task TestConnection_RunsTheConfigProbe_AndThePageShowsItsAnswer()
    {
        var list = new JsonObject { ["object"] = "list", ["data"] = new JsonArray(StripeEvents.Fixture("payment_link")), ["has_more"] = false, ["url"] = "/v1/payment_links" };
        hub.Stripe.Given(Request.Create().WithPath("/v1/payment_links").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(list.ToJsonString()));
        var token = TokenField().Match(await hub.Client.GetStringAsync("/connections"));

        var answer = await hub.Client.PostAsync("/connections/stripe/test", new FormUrlEncodedContent(
            [new(token.Groups[1].Value, WebUtility.HtmlDecode(token.Groups[2].Value))]));
        var stripe = Section(await answer.Content.ReadAsStringAsync(), "stripe");

        Assert.Equal("/connections?tested=stripe", answer.RequestMessage!.RequestUri!.PathAndQuery);
        Assert.True(stripe.Contains("accepted; 1 active payment link(s)", StringComparison.Ordinal), stripe);
        Assert.NotEmpty(hub.Requests(hub.Stripe)); // the service was asked, now
    }

    [Fact]
    public async Task TestConnection_WithoutAValidToken_IsRefused_AndAsksNothing()
    {
        var answer = await hub.Client.PostAsync("/connections/stripe/test", new FormUrlEncodedContent([new("__RequestVerificationToken", "forged")]));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Empty(hub.Requests(hub.Stripe));
    }

    [Fact]
    public async Task StackPage_LinksToConnections_OnlyWhileACheckCannotBeReached()
    {
        var connected = await hub.Client.GetStringAsync("/");
        hub.SetSetting<StripeOptions>("Stripe:WebhookSecret", null);
        hub.SetSetting<StripeOptions>("Stripe:ApiKey", null);
        try
        {
            var missing = await hub.Client.GetStringAsync("/");

            Assert.DoesNotContain("connect-notice", connected, StringComparison.Ordinal);
            Assert.Contains("Stripe is not connected. <a href=\"/connections\">", missing, StringComparison.Ordinal);
        }
        finally
        {
            hub.SetSetting<StripeOptions>("Stripe:WebhookSecret", HubFactory.StripeSecret);
            hub.SetSetting<StripeOptions>("Stripe:ApiKey", "sk_test_hub_0123456789");
        }
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
