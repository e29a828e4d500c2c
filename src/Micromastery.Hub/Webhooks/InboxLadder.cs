using System.Runtime.ExceptionServices;
using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.Webhooks;

/// <summary>How much processing a batch of inbox events gets in one transaction.</summary>
internal enum Processing
{
    /// <summary>Every event recorded in the batch's transaction: the common case.</summary>
    Together,

    /// <summary>Each event recorded in a savepoint, so one that throws is undone alone and retried later by itself.</summary>
    EachAlone,

    /// <summary>Stored only: the drain processes them.</summary>
    Deferred,
}

/// <summary>Recording (not storing or claiming) failed: the batch is done again one rung down the <see cref="InboxLadder"/>.</summary>
internal sealed class RecordingFailedException(Exception inner) : Exception(inner.Message, inner);

/// <summary>
/// Isolate and retry, for the group commit and the drain alike: a batch whose recording throws is done
/// again with each event alone, so a poison event fails by itself and the others are recorded. A storage
/// outage is nobody's fault: doing the events one by one would only count attempts against each, so it skips
/// to storing them unprocessed where that is possible, and otherwise ends the run (retried later, nothing counted).
/// </summary>
internal static class InboxLadder
{
    public static async Task<T> RunAsync<T>(Func<Processing, Task<T>> run, Processing lowest, Action<Processing, Exception> steppedDown)
    {
        var rung = Processing.Together;
        while (true)
        {
            try
            {
                return await run(rung);
            }
            catch (RecordingFailedException ex) when (ex.InnerException is { } cause)
            {
                var transient = StorageFaults.IsTransient(cause);
                var next = transient ? Processing.Deferred : rung + 1;
                if (next > lowest)
                {
                    ExceptionDispatchInfo.Capture(cause).Throw();
                }

                steppedDown(next, cause);
                rung = next;
            }
        }
    }
}
