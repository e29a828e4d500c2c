using Dapper;
using Micromastery.Hub.Infrastructure;

namespace Micromastery.Hub.Practice;

public enum PracticeWrite
{
    Created,

    /// <summary>The same id with the same content again (a retried request): nothing changed.</summary>
    Replayed,

    /// <summary>The id is taken by a different session.</summary>
    Conflict,
}

/// <summary>Practice sessions in the hub's database (both providers run the same SQL).</summary>
public sealed class PracticeStore(HubDatabase database)
{
    private const string Columns =
        "id AS Id, slug AS Slug, started_at AS StartedAt, local_date AS LocalDate, minutes AS Minutes, note AS Note, recorded_at AS RecordedAt";

    public async Task<PracticeWrite> AddAsync(PracticeSession session, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO practice_sessions (id, slug, started_at, local_date, minutes, note, recorded_at, updated_at) " +
            "VALUES (@Id, @Slug, @StartedAt, @LocalDate, @Minutes, @Note, @RecordedAt, @RecordedAt) ON CONFLICT (id) DO NOTHING",
            Row.From(session), cancellationToken: cancellationToken));
        if (inserted == 1)
        {
            return PracticeWrite.Created;
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
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE practice_sessions SET slug = @Slug, started_at = @StartedAt, local_date = @LocalDate, minutes = @Minutes, note = @Note, updated_at = @RecordedAt WHERE id = @Id",
            Row.From(session), cancellationToken: cancellationToken)) == 1;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM practice_sessions WHERE id = @id", new { id }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<PracticeSession?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM practice_sessions WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToSession();
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

    /// <summary>Minutes and deep-work blocks per micromastery and day, all of them: what pace is computed from, in one query.</summary>
    public static async Task<IReadOnlyList<PracticeDayTotal>> DailyTotalsAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string Slug, string LocalDate, long Minutes, long Blocks)>(new CommandDefinition(
            $"SELECT slug, local_date, SUM(minutes), SUM(CASE WHEN minutes >= {PracticeInput.BlockMinutes} THEN 1 ELSE 0 END) " +
            "FROM practice_sessions GROUP BY slug, local_date", transaction: transaction, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new PracticeDayTotal(r.Slug, DateOnly.ParseExact(r.LocalDate, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), (int)r.Minutes, (int)r.Blocks))];
    }

    private static string? Day(DateOnly? date) => date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

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
