namespace Micromastery.Hub.Webhooks;

/// <summary>When the inbox asks each provider's own log what it missed (section <c>Reconciliation</c>).</summary>
internal sealed class ReconciliationOptions
{
    public const string Section = "Reconciliation";

    /// <summary>Cron expression, in UTC, of each provider's reconciliation job. Default: hourly.</summary>
    public string Schedule { get; set; } = "0 * * * *";

    /// <summary>Also reconcile once as the hub starts: it may have been off while events were sent.</summary>
    public bool AtStartup { get; set; } = true;
}
