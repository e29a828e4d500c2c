using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.PublicPage;

/// <summary>
/// Counts a stack reload as a change (<see cref="ChangeCounter"/>), after the new stack is in effect: the other hubs
/// on the same database then rebuild their public answers too (this hub's cache already keys on its own stack).
/// </summary>
internal sealed partial class StackChangeCounter(StackStore stack, HubDatabase database, ILogger<StackChangeCounter> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        stack.Changed += OnChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        stack.Changed -= OnChanged;
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    private void OnChanged(StackDefinition loaded) => _ = BumpAsync();

    private async Task BumpAsync()
    {
        try
        {
            await using var connection = await database.OpenAsync(_stopping.Token);
            await ChangeCounter.BumpAsync(connection, null, _stopping.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogBumpFailed(ex);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the next hub to start reads the counter afresh anyway.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count a stack reload as a change: other hubs show their cached public pages until the next change")]
    private partial void LogBumpFailed(Exception exception);
}
