using System.Diagnostics;
using Npgsql;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server for the test run: the one named by HUB_TEST_POSTGRES (a connection string),
/// or a throw-away cluster started from the machine's PostgreSQL binaries in a temp folder on a free
/// loopback port, stopped when the test process exits. No binaries and no connection string is a
/// failure with a clear message, never a silent skip.
/// </summary>
[Starts(Needs.Postgres)]
public static class PostgresServer
{
    private static readonly Lazy<string> Server = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Connection string of the maintenance database.</summary>
    public static string ConnectionString => Server.Value;

    /// <summary>A new empty database on the server; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name, Pooling = true }.ToString();
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable("HUB_TEST_POSTGRES") is { Length: > 0 } given)
        {
            return given;
        }

        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin or on PATH. " +
            "Install PostgreSQL (e.g. apt-get install postgresql) or set HUB_TEST_POSTGRES to a connection string.");

        var root = Directory.CreateTempSubdirectory("hub-pg-").FullName;
        var data = Path.Combine(root, "data");
        var port = FreePort.Next();
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
            Run("chown", ["postgres:postgres", root]);
            Run("chmod", ["700", root]);
        }

        RunAs(asRoot, Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        RunAs(asRoot, Path.Combine(bin, "pg_ctl"),
        [
            "-D", data, "-l", Path.Combine(root, "log"), "-w", "-t", "60", "start",
            "-o", $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on -c synchronous_commit=on" +
                // Every test shares this server's log: each line names its database, so a test reads only its own.
                " -c \"log_line_prefix=%m [%p] %q%d \"",
        ]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                RunAs(asRoot, Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
                Directory.Delete(root, recursive: true);
            }
            catch (InvalidOperationException)
            {
                // Best effort at exit; the temp folder is the only trace left.
            }
            catch (IOException)
            {
            }
        };

        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Maximum Pool Size=40;Timeout=15";
    }

    private static string? FindBinaries()
    {
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var newest = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => d, StringComparer.Ordinal)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private static void RunAs(bool asRoot, string program, string[] args)
    {
        if (asRoot)
        {
            Run("runuser", ["-u", "postgres", "--", program, .. args]);
        }
        else
        {
            Run(program, args);
        }
    }

    private static void Run(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} did not finish in 90 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}{stdout.Result}");
        }
    }
}
