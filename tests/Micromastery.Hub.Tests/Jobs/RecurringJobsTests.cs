using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Jobs;

/// <summary>The one list of recurring jobs is complete: every job a running hub registers is on it.</summary>
[Trait(Needs.Key, Needs.Host)]
public sealed class RecurringJobsTests
{
    [Fact]
    public async Task EveryRecurringJobOfARunningHub_IsOnTheList()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite, """
            timeZone: UTC
            micromasteries:
              - staple: stripe-payment-link
                started: 2026-11-20
                checks:
                  - type: stripe.payment-link
            """);
        var factory = hub.Start(new Dictionary<string, string?>
        {
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:From"] = "hub@example.test",
            ["Email:To"] = "solo@example.test",
        });
        _ = factory.Server;

        List<RecurringJobDto> jobs;
        using (var connection = factory.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            jobs = connection.GetRecurringJobs();
        }

        Assert.True(jobs.Count >= 3, string.Join(", ", jobs.Select(j => j.Id)));
        Assert.All(jobs, job => Assert.True(RecurringJobs.Find(job.Id) is not null, $"recurring job '{job.Id}' is not on RecurringJobs.All"));
        Assert.All(RecurringJobs.All, entry => Assert.Contains(jobs, job => entry.Matches(job.Id)));
    }

    [Fact]
    public void Sync_OfAFamilyNotOnTheList_IsRefused_AndSoIsAJobOutsideItsFamily()
    {
        var set = new RecurringJobSet(recurring: null!, storage: null!);
        var job = WantedJob.Of<Hub.Payoffs.ReconfirmJob>("reconfirm:x", j => j.RunAsync("x", CancellationToken.None), "0 6 * * 1");

        var unlisted = Assert.Throws<InvalidOperationException>(() => set.Sync(new RecurringJobs.Entry("unlisted-*", "nowhere", "nothing"), [job]));
        var outside = Assert.Throws<InvalidOperationException>(() => set.Sync(RecurringJobs.Checks, [job]));

        Assert.Contains("not on RecurringJobs.All", unlisted.Message, StringComparison.Ordinal);
        Assert.Contains("not of the family 'check:*'", outside.Message, StringComparison.Ordinal);
    }
}
