using System.Collections.Concurrent;
using Micromastery.Hub.CommandLine;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Providers;
using Micromastery.Hub.PublicPage;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Connections;

/// <summary>The answer of a Test connection: the <c>config</c> verb's probe lines for one provider, and when it ran.</summary>
public sealed record ConnectionTest(DateTimeOffset At, IReadOnlyList<ProbeResult> Results);

/// <summary>One provider as <c>/connections</c> shows it.</summary>
/// <param name="WebhookUrl">The URL to paste into the provider; null for a service without webhooks.</param>
/// <param name="NeverReceivedByWebhook">
/// Events the inbox reconciliation found in the provider's own log that never arrived by webhook, in the last
/// <see cref="ConnectionsReader.MissedWindow"/>; null for a provider whose log the hub cannot ask (the page shows the line only otherwise).
/// </param>
public sealed record ProviderConnection(
    string Provider,
    string DisplayName,
    string? WebhookUrl,
    string? SecretKey,
    bool SecretSet,
    InboxEventSummary? LastDelivery,
    long SignatureFailures24h,
    long RefusedWithoutSecret24h,
    string? CredentialKey,
    bool CredentialSet,
    string? CredentialUse,
    ConnectionStep? NextStep,
    IReadOnlyList<string> UsedBy,
    ConnectionTest? LastTest,
    long? NeverReceivedByWebhook = null)
{
    public bool HasWebhook => WebhookUrl is not null;
}

/// <summary>
/// Builds the connections page from what is registered: every provider (its webhook, credential and next step),
/// the inbox's newest delivery per provider, the refusal counts, and the last Test connection.
/// </summary>
internal sealed class ConnectionsReader(
    IEnumerable<IProvider> providers,
    IEnumerable<IProviderEventLog> logs,
    InboxStore inbox,
    WebhookRefusals refusals,
    StackStore stack,
    CheckTypeRegistry types,
    IOptionsMonitor<PublicOptions> publicOptions,
    TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, ConnectionTest> _tests = new(StringComparer.Ordinal);

    /// <summary>How far back "never received by webhook" counts.</summary>
    public static readonly TimeSpan MissedWindow = TimeSpan.FromDays(30);

    public IEnumerable<string> Providers => providers.Select(p => p.Name);

    public async Task<IReadOnlyList<ProviderConnection>> ReadAsync(HttpContext context, CancellationToken ct)
    {
        var root = PublicEndpoints.Root(context, publicOptions.CurrentValue).TrimEnd('/');
        var list = new List<ProviderConnection>();
        var recovered = await inbox.RecoveredSinceAsync(clock.GetUtcNow() - MissedWindow, ct);
        foreach (var provider in providers)
        {
            var name = provider.Name;
            var source = provider.Webhook;
            var url = provider.WebhookPath is { } path ? root + path : null;
            var last = source is null ? null : (await inbox.PageAsync(new InboxFilter(name, null, null, null), null, 1, ct)).FirstOrDefault();
            var (failures, noSecret) = refusals.Last24Hours(name);
            list.Add(new ProviderConnection(
                name,
                provider.DisplayName,
                url,
                source?.SecretKey,
                provider.WebhookSecretIsSet ?? false,
                last,
                failures,
                noSecret,
                provider.ApiKeySetting,
                provider.ApiKeyIsSet ?? false,
                provider.ApiKeyUse,
                provider.NextStep(url),
                UsedBy(provider),
                _tests.GetValueOrDefault(name),
                logs.Any(l => l.Provider == name) ? recovered.GetValueOrDefault(name) : null));
        }

        return list;
    }

    /// <summary>Runs the provider's <c>config</c> probe now and keeps its answer for the page; false for an unknown provider.</summary>
    public async Task<bool> TestAsync(string provider, CancellationToken ct)
    {
        var found = providers.FirstOrDefault(p => p.Name == provider);
        if (found is null)
        {
            return false;
        }

        IReadOnlyList<ProbeResult> results;
        try
        {
            // Only this provider's probe: the others would ask their services for nothing the page shows.
            results = [.. (await found.Probe.ProbeAsync(ct)).Where(r => r.Area == provider)];
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A probe that throws (a timeout its own catch missed) is an answer too: the service could not be asked.
            results = [new ProbeResult(provider, "connection", false, $"the test could not finish: {ex.GetType().Name}: {ex.Message}")];
        }

        _tests[provider] = new ConnectionTest(clock.GetUtcNow(), results);
        return true;
    }

    /// <summary>
    /// The providers a check of the stack needs and cannot use: a check that says its credential is missing, or a
    /// check a webhook could prove whose provider has neither a webhook secret nor a credential. Empty when all is set.
    /// </summary>
    public IReadOnlyList<string> Missing(StackReport report)
    {
        var missing = new List<string>();
        foreach (var provider in providers)
        {
            var checks = report.Micromasteries.SelectMany(m => m.Checks).Where(c => provider.CheckTypes.Contains(c.Type)).ToList();
            if (checks.Count == 0)
            {
                continue;
            }

            var secretSet = provider.WebhookSecretIsSet ?? false;
            var credentialSet = provider.ApiKeyIsSet ?? false;
            if (checks.Any(c => c.State is CheckStates.NotConfigured)
                || (!secretSet && !credentialSet && checks.Any(c => types.Find(c.Type)?.WebhooksCanSatisfy == true)))
            {
                missing.Add(provider.DisplayName);
            }
        }

        return missing;
    }

    private IReadOnlyList<string> UsedBy(IProvider provider) =>
        [.. stack.Current.Micromasteries.SelectMany(m => m.Checks.Where(c => provider.CheckTypes.Contains(c.Type)).Select(c => $"{m.Slug} ({c.Type})"))];
}
