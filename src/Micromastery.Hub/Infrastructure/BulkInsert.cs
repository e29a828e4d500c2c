using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Micromastery.Hub.Infrastructure;

/// <summary>
/// Inserts many rows in the way each database does fastest. PostgreSQL: one multi-row statement per chunk,
/// a round trip each instead of one per row. SQLite (in process, no round trips to save): one single-row
/// statement, prepared once and run per row; a multi-row statement there is parsed anew for every size and
/// keeps a statement journal of every page it changes, which measured a third slower.
/// </summary>
internal static class BulkInsert
{
    /// <summary>Rows per multi-row statement: well under PostgreSQL's 65,535 parameters for any table here.</summary>
    private const int RowsPerStatement = 100;

    /// <summary>
    /// Runs <c>INSERT INTO {table} ({columns}) VALUES … {suffix}</c> for every row (values in column order)
    /// and returns what the suffix's RETURNING clause gave, if any, in no particular order.
    /// </summary>
    public static async Task<List<object[]>> RunAsync(DbConnection connection, DbTransaction transaction, StorageProvider provider, string table, string[] columns, string suffix, IReadOnlyList<object?[]> rows)
    {
        var returned = new List<object[]>();
        if (rows.Count == 0)
        {
            return returned;
        }

        var head = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ";
        if (provider == StorageProvider.Sqlite)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = head + Tuple(columns.Length, 0) + " " + suffix;
            var parameters = Enumerable.Range(0, columns.Length).Select(c => Add(command, Name(c, 0), null)).ToArray();
            foreach (var row in rows)
            {
                for (var c = 0; c < columns.Length; c++)
                {
                    parameters[c].Value = row[c] ?? DBNull.Value;
                }

                await ReadAsync(command, returned);
            }

            return returned;
        }

        for (var start = 0; start < rows.Count; start += RowsPerStatement)
        {
            var count = Math.Min(RowsPerStatement, rows.Count - start);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder(head);
            for (var r = 0; r < count; r++)
            {
                sql.Append(r == 0 ? "" : ", ").Append(Tuple(columns.Length, r));
                for (var c = 0; c < columns.Length; c++)
                {
                    Add(command, Name(c, r), rows[start + r][c]);
                }
            }

            command.CommandText = sql.Append(' ').Append(suffix).ToString();
            await ReadAsync(command, returned);
        }

        return returned;
    }

    private static async Task ReadAsync(DbCommand command, List<object[]> returned)
    {
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            returned.Add(values);
        }
    }

    private static string Name(int column, int row) => string.Create(CultureInfo.InvariantCulture, $"c{column}r{row}");

    private static string Tuple(int columns, int row) =>
        "(" + string.Join(", ", Enumerable.Range(0, columns).Select(c => "@" + Name(c, row))) + ")";

    private static DbParameter Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
