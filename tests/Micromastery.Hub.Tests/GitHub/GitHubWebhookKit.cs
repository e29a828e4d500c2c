using System.Text.Json.Nodes;
using Micromastery.Hub.GitHub;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.GitHub;

/// <summary>GitHub deliveries: <c>X-Hub-Signature-256: sha256=…</c>, with the delivery GUID, event name and hook id in headers.</summary>
public sealed class GitHubWebhookKit : WebhookKit
{
    private const string HookId = "292430182";

    public override string Provider => GitHubWebhookSource.Name;

    public override string SecretSetting => "GitHub:WebhookSecret";

    public override string Secret => ServicesHub.GitHubSecret;

    public override string SignatureHeader => "X-Hub-Signature-256";

    public override string RealisticBody() => Payloads.Text("github", "workflow_run.completed.json");

    public override string MalformedSignature => "sha1={hex}";

    public override IReadOnlyList<string> IdentityCases => ["no X-GitHub-Delivery", "no X-GitHub-Event"];

    internal override IWebhookSource Source(string? secret) => TestWebhookSources.GitHub(secret);

    public override void SetSecret(ServicesHub hub, string? secret) => hub.SetSetting<GitHubOptions>(SecretSetting, secret);

    public override string Tamper(string body) => body.Replace("octo-org/octo-repo", "octo-org/evil-repo", StringComparison.Ordinal);

    public override WebhookDelivery WithoutIdentity(WebhookDelivery delivery, string missing) => missing switch
    {
        "no X-GitHub-Delivery" => delivery with { GitHubDelivery = null },
        "no X-GitHub-Event" => delivery with { GitHubEvent = null },
        _ => throw new ArgumentOutOfRangeException(nameof(missing), missing, "no such case"),
    };

    public override string Header(string timestamp, string hex) => "sha256=" + hex;

    public override IEnumerable<(string Name, string Value)> OtherHeaders(WebhookDelivery delivery)
    {
        if (delivery.GitHubEvent is not null)
        {
            yield return ("X-GitHub-Event", delivery.GitHubEvent);
        }

        if (delivery.GitHubDelivery is not null)
        {
            yield return ("X-GitHub-Delivery", delivery.GitHubDelivery);
        }

        yield return ("X-GitHub-Hook-ID", HookId);
    }
}
