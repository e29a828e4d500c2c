using Micromastery.Hub.Access;
using Micromastery.Hub.CommandLine;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Micromastery.Hub.Infrastructure;

internal static class StorageSetup
{
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<HubDatabase>();
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddSingleton<IConfigurationProbe, StorageProbe>();

        // First hosted service: the schema exists before anything reads or writes.
        builder.Services.AddHostedService<SchemaMigration>();
        builder.Services.AddHostedService<SqliteCheckpointer>();
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
        return builder;
    }

    /// <summary>Public: <c>GET /health</c> (the process is up) and <c>GET /health/ready</c> (a write to storage commits; 503 with the reason).</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        app.MapHealthChecks("/health", new() { Predicate = _ => false }).WithMetadata(new HttpMethodMetadata(methods)).Public();
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = StorageHealthCheck.WriteAsync }).WithMetadata(new HttpMethodMetadata(methods)).Public();
        return app;
    }

    private sealed class SchemaMigration(Migrator migrator) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
