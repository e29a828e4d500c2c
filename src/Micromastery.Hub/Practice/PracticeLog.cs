using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Practice;

/// <summary>What logging a session came to: stored (<see cref="Write"/>), or refused at <see cref="Field"/> with <see cref="Error"/>.</summary>
internal sealed record PracticeLogged(PracticeSession? Session, PracticeWrite? Write, string? Field, string? Error);

/// <summary>
/// "Log practice", one method: the JSON API, the micromastery page's form and the <c>log</c> verb all call it,
/// so a session is checked against the same stack and clock and stored the same way.
/// </summary>
internal sealed partial class PracticeLog(StackStore stack, PracticeStore store, TimeProvider clock, ILogger<PracticeLog> logger)
{
    public async Task<PracticeLogged> AddAsync(PracticeInput input, CancellationToken ct)
    {
        var (session, field, error) = input.Validate(stack.Current, clock.GetUtcNow());
        if (session is null)
        {
            return new PracticeLogged(null, null, field, error);
        }

        var write = await store.AddAsync(session, ct);
        LogWritten(session.Slug, session.Minutes, session.Date, write);
        return new PracticeLogged(session, write, write == PracticeWrite.Conflict ? "id" : null,
            write == PracticeWrite.Conflict ? $"a different session already has the id '{session.Id}'" : null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Practice of {Slug}: {Minutes} min on {Date} ({Write})")]
    private partial void LogWritten(string slug, int minutes, DateOnly date, PracticeWrite write);
}
