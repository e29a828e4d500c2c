using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Options;
using Micromastery.Hub.Access;

namespace Micromastery.Hub.Infrastructure;

internal static class JobsSetup
{
    /// <summary>
    /// Hangfire beside the hub's storage: in-process job storage with SQLite (jobs are re-created from
    /// the database on start-up), Hangfire.PostgreSql in the hub's database with PostgreSQL, where
    /// several hub processes share the work.
    /// </summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        // Registered ahead of AddHangfire so that each host owns its storage instead of the process-wide JobStorage.Current.
        builder.Services.AddSingleton<JobStorage>(sp =>
        {
            var database = sp.GetRequiredService<HubDatabase>();
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            if (database.Provider == StorageProvider.Postgres)
            {
                var options = new PostgreSqlStorageOptions
                {
                    SchemaName = "hangfire",
                    PrepareSchemaIfNecessary = true,
                    QueuePollInterval = TimeSpan.FromMilliseconds(storage.QueuePollIntervalMs),
                    UseSlidingInvisibilityTimeout = true,
                    InvisibilityTimeout = TimeSpan.FromMinutes(5),
                };
                return CreateSerialized(database.ConnectionString, options);
            }

            return new InMemoryStorage(new InMemoryStorageOptions { MaxExpirationTime = TimeSpan.FromHours(6) });
        });

        // Likewise the activator: AddHangfire's default is the process-wide JobActivator.Current, which the
        // last host to start overwrites, so a job would be built from another host's services.
        builder.Services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));

        builder.Services.AddHangfire((services, configuration) => configuration
            .UseLogProvider(Bridge(services))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        builder.Services.AddHangfireServer(options =>
        {
            options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            options.ShutdownTimeout = TimeSpan.FromSeconds(10);
            options.SchedulePollingInterval = TimeSpan.FromSeconds(5);
        });
        builder.Services.AddSingleton<RecurringJobSet>();
        return builder;
    }

    /// <summary>The Hangfire dashboard for the owner (see Access/), with Hangfire's antiforgery tokens on its actions.</summary>
    public static IEndpointRouteBuilder MapJobsDashboard(this IEndpointRouteBuilder app)
    {
        app.MapHangfireDashboard(AccessSetup.DashboardPath, new DashboardOptions
        {
            DashboardTitle = "Micromastery Hub — jobs",
            Authorization = [AccessSetup.DashboardFilter],
            IgnoreAntiforgeryToken = false,
            AppPath = "/",
        }, app.ServiceProvider.GetRequiredService<JobStorage>()).RequireAuthorization(OwnerSchemes.Policy);
        return app;
    }

    private const long HangfireSchemaLockKey = 0x4d6d48756248; // "MmHubH"

    /// <summary>
    /// Hangfire.PostgreSql creates its schema in the storage's constructor: hubs starting together on an empty database
    /// would race ("relation already exists"), so one at a time, under a session advisory lock.
    /// </summary>
    private static PostgreSqlStorage CreateSerialized(string connectionString, PostgreSqlStorageOptions options)
    {
        // Unpooled: closing the session is what releases the lock, also when creating the schema throws.
        using var gate = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        gate.Open();
        using (var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({HangfireSchemaLockKey})", gate))
        {
            take.ExecuteNonQuery();
        }

        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }

    private static HangfireLogBridge Bridge(IServiceProvider services)
    {
        HangfireLogBridge.Instance.Attach(services.GetRequiredService<ILoggerFactory>());
        return HangfireLogBridge.Instance;
    }
}
