using Micromastery.Hub.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>What the webhook receiver decided about a delivery: refused (nothing stored), or stored / a duplicate.</summary>
internal sealed record WebhookReceipt(WebhookCheck Check, InboxWriteResult? Written)
{
    /// <summary>The status <c>POST /webhooks/{provider}</c> answers with: the refusal's, else 200.</summary>
    public int Status => Check is WebhookCheck.Rejected rejected ? rejected.StatusCode : 200;

    /// <summary>The refusal's reason (the problem's detail over HTTP), or null.</summary>
    public string? Reason => (Check as WebhookCheck.Rejected)?.Reason;
}

/// <summary>
/// A delivery taken as <c>POST /webhooks/{provider}</c> takes it, on <see cref="HubServices"/> without HTTP: the opening
/// rules every receiver applies (<see cref="WebhookOpening"/>: secret, signature header, the provider's verification,
/// id lengths), then the inbox's group commit (<see cref="InboxWriter"/>: stored with its evidence in one commit). Only
/// the writer's loop runs: no web server, no Hangfire server; the drain it enqueues waits unless the test runs it.
/// Stop it (dispose) before the services go.
/// </summary>
internal sealed class WebhookInbox : IAsyncDisposable
{
    private readonly HubServices _hub;
    private readonly InboxWriter _writer;

    private WebhookInbox(HubServices hub)
    {
        _hub = hub;
        _writer = hub.Service<InboxWriter>();
    }

    public static async Task<WebhookInbox> StartAsync(HubServices hub)
    {
        var inbox = new WebhookInbox(hub);
        await inbox._writer.StartAsync(CancellationToken.None);
        return inbox;
    }

    /// <summary>The receiver's steps for one delivery (the endpoint's adapter reads the body and shapes the answer around them).</summary>
    public async Task<WebhookReceipt> ReceiveAsync(string provider, string body, params (string Name, string Value)[] headers)
    {
        var source = _hub.Services.GetServices<IWebhookSource>().Single(s => s.Provider == provider);
        var requestHeaders = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            requestHeaders.Append(name, value);
        }

        var check = WebhookOpening.Check(source, requestHeaders, new WebhookBody(System.Text.Encoding.UTF8.GetBytes(body)));
        if (check is not WebhookCheck.Accepted accepted)
        {
            return new WebhookReceipt(check, null);
        }

        var written = await _writer.WriteAsync(new InboxEvent(provider, accepted.EventId, accepted.EventType, body), CancellationToken.None);
        return new WebhookReceipt(check, written);
    }

    /// <summary>What the hub's drain does when the writer signals it (or its sweep runs), run here to its end.</summary>
    public Task<int> DrainAsync() => _hub.Service<InboxDrainJob>().RunAsync(CancellationToken.None);

    public async ValueTask DisposeAsync() => await _writer.StopAsync(CancellationToken.None);
}
