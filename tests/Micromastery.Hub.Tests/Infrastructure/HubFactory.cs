using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Micromastery.Hub.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>The real hub in-process, on a real SQLite file or a real PostgreSQL database.</summary>
[Starts(Needs.Host)]
public sealed class HubFactory(StorageProvider provider, string directory, string? postgres, IReadOnlyDictionary<string, string?> settings)
    : WebApplicationFactory<Program>
{
    public const string StripeSecret = "whsec_test_hub_secret_0123456789";

    public StorageProvider Provider => provider;

    public string Directory => directory;

    public string StackPath => Path.Combine(directory, "stack.yml");

    /// <summary>What this hub logged at Warning and above.</summary>
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:Provider", provider.ToString());
        builder.UseSetting("Storage:DataDirectory", Path.Combine(directory, "data"));
        builder.UseSetting("Storage:QueuePollIntervalMs", "100");
        builder.UseSetting("Stack:Path", StackPath);
        builder.UseSetting("Stripe:WebhookSecret", StripeSecret);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Tests poll when they mean to; the catch-up tests switch it on.
        builder.UseSetting("Polling:CatchUp", "false");
        // Likewise reconciliation: a test asks the providers' logs when it means to.
        builder.UseSetting("Reconciliation:AtStartup", "false");
        if (postgres is not null)
        {
            builder.UseSetting("ConnectionStrings:Hub", postgres);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
