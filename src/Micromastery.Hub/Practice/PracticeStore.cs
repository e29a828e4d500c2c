using Dapper;
using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.Practice;

internal enum PracticeWrite
{
    Created,

    /// <summary>The same id with the same content again (a retried request): nothing changed.</summary>
    Replayed,

    /// <summary>The id is taken by a different session.</summary>
    Conflict,
}

/// <summary>Practice sessions in the hub's database (both providers run the same SQL).</summary>
internal sealed class PracticeStore(HubDatabase database)
{
    private const string Columns =
        "id AS Id, slug AS Slug, started_at AS StartedAt, local_date AS LocalDate, minutes AS Minutes, note AS Note, recorded_at AS RecordedAt";

    public async Task<PracticeWrite> AddAsync(PracticeSession session, CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var write = await database.BeginWriteAsync(connection, cancellationToken))
        {
            var row = Row.From(session);
            var inserted = await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO practice_sessions (id, slug, started_at, local_date, minutes, note, recorded_at, updated_at) " +
                "VALUES (@Id, @Slug, @StartedAt, @LocalDate, @Minutes, @Note, @RecordedAt, @RecordedAt) ON CONFLICT (id) DO NOTHING",
                row, write.Transaction, cancellationToken: cancellationToken));
            if (inserted == 1)
            {
                await PracticeTotals.RefreshAsync(connection, write.Transaction, row.Slug, row.LocalDate);
                await write.CommitAsync(cancellationToken);
                return PracticeWrite.Created;
            }
        }

        var existing = await FindAsync(session.Id, cancellationToken);
        // A retry without a start time is stamped anew; the day, micromastery, minutes and note say it is the same session.
        return existing is not null && (existing.Slug, existing.Date, existing.Minutes, existing.Note) == (session.Slug, session.Date, session.Minutes, session.Note)
            ? PracticeWrite.Replayed
            : PracticeWrite.Conflict;
    }

    /// <summary>Replaces a session's fields; false when there is no such session.</summary>
    public async Task<bool> UpdateAsync(PracticeSession session, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var row = Row.From(session);
        var old = await connection.QuerySingleOrDefaultAsync<(string Slug, string LocalDate)?>(
            "SELECT slug, local_date FROM practice_sessions WHERE id = @Id", row, write.Transaction);
        if (old is not { } before || await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE practice_sessions SET slug = @Slug, started_at = @StartedAt, local_date = @LocalDate, minutes = @Minutes, note = @Note, updated_at = @RecordedAt WHERE id = @Id",
                row, write.Transaction, cancellationToken: cancellationToken)) != 1)
        {
            return false;
        }

        // A correction may move the session to another day or micromastery: both days are summed again.
        await PracticeTotals.RefreshAsync(connection, write.Transaction, before.Slug, before.LocalDate);
        if ((before.Slug, before.LocalDate) != (row.Slug, row.LocalDate))
        {
            await PracticeTotals.RefreshAsync(connection, write.Transaction, row.Slug, row.LocalDate);
        }

        await write.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var write = await database.BeginWriteAsync(connection, cancellationToken);
        var old = await connection.QuerySingleOrDefaultAsync<(string Slug, string LocalDate)?>(
            "SELECT slug, local_date FROM practice_sessions WHERE id = @id", new { id }, write.Transaction);
        if (old is not { } before)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM practice_sessions WHERE id = @id", new { id }, write.Transaction, cancellationToken: cancellationToken));
        await PracticeTotals.RefreshAsync(connection, write.Transaction, before.Slug, before.LocalDate);
        await write.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<PracticeSession?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM practice_sessions WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToSession();
    }

    /// <summary>A micromastery's newest <paramref name="limit"/> sessions, newest first (an index range, however long the log).</summary>
    public async Task<IReadOnlyList<PracticeSession>> NewestAsync(string slug, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM practice_sessions WHERE slug = @slug ORDER BY local_date DESC, started_at DESC, id DESC LIMIT @limit",
            new { slug, limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToSession())];
    }

    /// <summary>Sessions whose day is within [from, to] (either open), optionally of one micromastery, oldest first.</summary>
    public async Task<IReadOnlyList<PracticeSession>> ListAsync(DateOnly? from, DateOnly? to, string? slug, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM practice_sessions WHERE (@from IS NULL OR local_date >= @from) AND (@to IS NULL OR local_date <= @to) " +
            "AND (@slug IS NULL OR slug = @slug) ORDER BY local_date, started_at, id",
            new { from = Day(from), to = Day(to), slug }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToSession())];
    }

    internal static string? Day(DateOnly? date) => date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string Slug { get; set; } = "";
        public long StartedAt { get; set; }
        public string LocalDate { get; set; } = "";
        public int Minutes { get; set; }
        public string? Note { get; set; }
        public long RecordedAt { get; set; }

        public static Row From(PracticeSession s) => new()
        {
            Id = s.Id, Slug = s.Slug, StartedAt = s.StartedAt.ToUnixTimeMilliseconds(), LocalDate = Day(s.Date)!, Minutes = s.Minutes, Note = s.Note,
            RecordedAt = s.RecordedAt.ToUnixTimeMilliseconds(),
        };

        public PracticeSession ToSession() => new(Id, Slug, DateTimeOffset.FromUnixTimeMilliseconds(StartedAt),
            DateOnly.ParseExact(LocalDate, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Minutes, Note,
            DateTimeOffset.FromUnixTimeMilliseconds(RecordedAt));
    }
}
