using Hangfire;
using Micromastery.Hub.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Micromastery.Hub.Tests.Jobs;

public sealed class JobsSetupTests
{
    private sealed record HostMark(string Name);

    [Fact]
    public void EachHost_BuildsJobsFromItsOwnServices_WhenAnotherHostConfiguresHangfireMeanwhile()
    {
        using var first = Build("first");
        using var second = Build("second");

        // The order in which two hosts starting side by side (as in the test suite) can interleave:
        // both run Hangfire's global configuration before the first resolves its activator.
        first.GetRequiredService<IGlobalConfiguration>();
        second.GetRequiredService<IGlobalConfiguration>();

        Assert.Equal("first", MarkSeenByJobsOf(first));
        Assert.Equal("second", MarkSeenByJobsOf(second));
    }

    private static ServiceProvider Build(string name)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(new HostMark(name));
        builder.AddJobs();
        return builder.Services.BuildServiceProvider();
    }

    private static string MarkSeenByJobsOf(IServiceProvider services)
    {
        using var scope = services.GetRequiredService<JobActivator>().BeginScope((JobActivatorContext)null!);
        return ((HostMark)scope.Resolve(typeof(HostMark))).Name;
    }
}
