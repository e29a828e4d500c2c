using System.Diagnostics.Metrics;

namespace Micromastery.Hub.Webhooks;

/// <summary>
/// What the inbox's group commit and its drain do under load, for <c>dotnet-counters monitor -n Micromastery.Hub
/// --counters Micromastery.Hub.Inbox</c> (or any OpenTelemetry listener): how many deliveries each commit carries,
/// how long a commit takes, and how long processing holds the writer.
/// </summary>
internal static class InboxMetrics
{
    public const string MeterName = "Micromastery.Hub.Inbox";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Histogram<int> CommitEvents = Meter.CreateHistogram<int>(
        "hub.inbox.commit.events", "{event}", "Deliveries stored by one group commit");

    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>(
        "hub.inbox.commit.duration", "ms", "One group commit: waiting for the writer, inserting and the durable commit");

    public static readonly Histogram<double> DrainBatchDuration = Meter.CreateHistogram<double>(
        "hub.inbox.drain.batch.duration", "ms", "One batch of processing: claiming events, recording evidence and committing");

    public static readonly Counter<long> Processed = Meter.CreateCounter<long>(
        "hub.inbox.processed", "{event}", "Stored deliveries processed (into evidence, ignored or failed)");
}
