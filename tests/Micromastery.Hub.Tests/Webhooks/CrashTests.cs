using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Micromastery.Hub.Tests.Webhooks;

/// <summary>
/// "Nothing lost": the real hub executable is killed with SIGKILL while webhooks stream in; every
/// event it answered 2xx is in the inbox after the restart, and gets processed.
/// </summary>
[Trait(Needs.Key, Needs.Host)]
public sealed class CrashTests
{
    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task EveryAcknowledgedEvent_SurvivesKill9AndIsProcessedAfterRestart(StorageProvider provider)
    {
        await using var hub = await DedicatedHub.CreateAsync(provider);
        var port = FreePort.Next();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        var acknowledged = new ConcurrentBag<string>();

        var first = StartHub(hub, port);
        await WaitUntilUpAsync(http);
        using var sending = new CancellationTokenSource();
        var senders = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!sending.IsCancellationRequested)
            {
                var id = StripeEvents.NewId("evt_");
                var body = StripeEvents.PaymentIntentSucceeded(eventId: id);
                try
                {
                    var response = await http.PostWebhookAsync("stripe", body, ("Stripe-Signature", StripeEvents.Sign(body, HubFactory.StripeSecret)));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged.Add(id);
                    }
                }
                catch (HttpRequestException)
                {
                    return; // the hub is gone
                }
                catch (TaskCanceledException)
                {
                    return;
                }
            }
        })).ToList();

        await Eventually.ReturnsAsync(() => Task.FromResult(acknowledged.Count), n => n >= 200, "200 acknowledged events");
        first.Kill(); // SIGKILL: no shutdown code runs
        await first.WaitForExitAsync();
        await sending.CancelAsync();
        await Task.WhenAll(senders);

        var second = StartHub(hub, port);
        try
        {
            await WaitUntilUpAsync(http);
            var stored = await StoredIdsAsync(hub);
            Assert.DoesNotContain(acknowledged, id => !stored.Contains(id));
            await Eventually.ReturnsAsync(() => UnprocessedAsync(hub), n => n == 0, "every stored event to be processed after the restart", seconds: 60);
        }
        finally
        {
            second.Kill();
            await second.WaitForExitAsync();
        }
    }

    private static Process StartHub(DedicatedHub hub, int port)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = hub.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Micromastery.Hub.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(hub.Directory);
        start.Environment["Storage__Provider"] = hub.Provider.ToString();
        start.Environment["Stripe__WebhookSecret"] = HubFactory.StripeSecret;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (hub.Postgres is not null)
        {
            start.Environment["ConnectionStrings__Hub"] = hub.Postgres;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static Task WaitUntilUpAsync(HttpClient http) =>
        Eventually.ReturnsAsync(async () =>
        {
            try
            {
                return (await http.GetAsync("/health/ready")).StatusCode;
            }
            catch (HttpRequestException)
            {
                return HttpStatusCode.ServiceUnavailable;
            }
        }, s => s == HttpStatusCode.OK, "the hub process to be ready", seconds: 60);

    private static async Task<HashSet<string>> StoredIdsAsync(DedicatedHub hub)
    {
        await using var connection = Open(hub);
        return (await connection.QueryAsync<string>("SELECT event_id FROM inbox_events")).ToHashSet();
    }

    private static async Task<long> UnprocessedAsync(DedicatedHub hub)
    {
        await using var connection = Open(hub);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_events WHERE state = 0");
    }

    private static System.Data.Common.DbConnection Open(DedicatedHub hub) =>
        hub.Postgres is not null ? new NpgsqlConnection(hub.Postgres) : new SqliteConnection($"Data Source={hub.SqlitePath};Pooling=False");

}
