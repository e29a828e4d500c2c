using System.Data.Common;
using System.Globalization;
using Dapper;

namespace Micromastery.Hub.Practice;

/// <summary>Everything practised by one micromastery: minutes in all and the last day practised.</summary>
internal sealed record PracticeTotal(string Slug, int Minutes, DateOnly? LastPractised);

/// <summary>
/// Practice summed per micromastery and day (<c>practice_days</c>) and per micromastery (<c>practice_totals</c>),
/// kept by the practice store's writes in their own transaction (migration 020): pace reads these, never the sessions.
/// </summary>
internal static class PracticeTotals
{
    /// <summary>Sums one micromastery's day again from its sessions (a day holds a few) and moves its total by the difference.</summary>
    internal static async Task RefreshAsync(DbConnection connection, DbTransaction transaction, string slug, string date)
    {
        var key = new { slug, date };
        var before = await connection.ExecuteScalarAsync<long?>("SELECT minutes FROM practice_days WHERE slug = @slug AND local_date = @date", key, transaction) ?? 0;
        await connection.ExecuteAsync("DELETE FROM practice_days WHERE slug = @slug AND local_date = @date", key, transaction);
        await connection.ExecuteAsync(
            "INSERT INTO practice_days (slug, local_date, minutes, blocks, sessions) " +
            $"SELECT slug, local_date, SUM(minutes), SUM(CASE WHEN minutes >= {PracticeInput.BlockMinutes} THEN 1 ELSE 0 END), count(*) " +
            "FROM practice_sessions WHERE slug = @slug AND local_date = @date GROUP BY slug, local_date", key, transaction);
        var after = await connection.ExecuteScalarAsync<long?>("SELECT minutes FROM practice_days WHERE slug = @slug AND local_date = @date", key, transaction) ?? 0;
        var last = await connection.ExecuteScalarAsync<string?>(
            "SELECT local_date FROM practice_days WHERE slug = @slug ORDER BY local_date DESC LIMIT 1", key, transaction);
        if (last is null)
        {
            await connection.ExecuteAsync("DELETE FROM practice_totals WHERE slug = @slug", key, transaction);
            return;
        }

        await connection.ExecuteAsync(
            "INSERT INTO practice_totals (slug, minutes, last_date) VALUES (@slug, @delta, @last) " +
            "ON CONFLICT (slug) DO UPDATE SET minutes = practice_totals.minutes + excluded.minutes, last_date = excluded.last_date",
            new { slug, delta = after - before, last }, transaction);
    }

    /// <summary>Minutes and deep-work blocks per micromastery and day from <paramref name="from"/> on: what the pace series and the streak read.</summary>
    public static async Task<IReadOnlyList<PracticeDayTotal>> DaysAsync(DbConnection connection, DbTransaction? transaction, DateOnly from, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string Slug, string LocalDate, long Minutes, long Blocks)>(new CommandDefinition(
            "SELECT slug, local_date, minutes, blocks FROM practice_days WHERE local_date >= @from",
            new { from = PracticeStore.Day(from) }, transaction, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new PracticeDayTotal(r.Slug, Date(r.LocalDate), (int)r.Minutes, (int)r.Blocks))];
    }

    /// <summary>One micromastery's days within [<paramref name="from"/>, <paramref name="to"/>] (its seven plan days).</summary>
    public static async Task<IReadOnlyList<PracticeDayTotal>> DaysOfAsync(DbConnection connection, DbTransaction? transaction, string slug, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string Slug, string LocalDate, long Minutes, long Blocks)>(new CommandDefinition(
            "SELECT slug, local_date, minutes, blocks FROM practice_days WHERE slug = @slug AND local_date >= @from AND local_date <= @to",
            new { slug, from = PracticeStore.Day(from), to = PracticeStore.Day(to) }, transaction, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new PracticeDayTotal(r.Slug, Date(r.LocalDate), (int)r.Minutes, (int)r.Blocks))];
    }

    public static async Task<IReadOnlyDictionary<string, PracticeTotal>> TotalsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string Slug, long Minutes, string? LastDate)>(new CommandDefinition(
            "SELECT slug, minutes, last_date FROM practice_totals", transaction: transaction, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Slug, r => new PracticeTotal(r.Slug, (int)r.Minutes, r.LastDate is null ? null : Date(r.LastDate)), StringComparer.Ordinal);
    }

    private static DateOnly Date(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
