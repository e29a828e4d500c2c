using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Micromastery.Hub.Email;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Email;

/// <summary>Email settings as users write them: environment variables with one value or an indexed list.</summary>
public sealed class EmailOptionsTests
{
    private static EmailOptions Bind(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value));
        builder.AddEmail();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<EmailOptions>>().Value;
    }

    [Theory]
    [InlineData("me@example.com", new[] { "me@example.com" })]
    [InlineData("me@example.com, you@example.com;them@example.com", new[] { "me@example.com", "you@example.com", "them@example.com" })]
    public void To_AsOneValue_IsEveryAddressInIt(string value, string[] expected)
    {
        var options = Bind(("Email:To", value));

        Assert.Equal(expected, options.To);
    }

    [Fact]
    public void To_AsAnIndexedList_StillWorks()
    {
        var options = Bind(("Email:To:0", "a@example.com"), ("Email:To:1", "b@example.com"));

        Assert.Equal(["a@example.com", "b@example.com"], options.To);
    }

    [Fact]
    public void To_WithSomethingThatIsNoAddress_FailsNamingTheKey()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(("Email:To", "me@example.com, not an address")));

        Assert.Contains("Email:To", error.Message, StringComparison.Ordinal);
    }

    /// <summary>One schedule rule (<see cref="Hub.Stack.Schedule.Problem"/>): the email's schedule, like a check's or a re-confirmation's, runs at most once a minute.</summary>
    [Fact]
    public void Schedule_MoreOftenThanOnceAMinute_IsRefusedAsTheStackFileRefusesIt()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(("Email:Schedule", "@every_second")));
        var stackFile = new Hub.Stack.StackFileParser(StackOnDisk.Types).Parse("""
            timeZone: UTC
            micromasteries:
              - slug: omelette
                name: Omelette
                layer: A
                started: 2026-11-20
                reconfirm: "@every_second"
                checks:
                  - type: manual
            """);

        Assert.Contains("Email:Schedule", error.Message, StringComparison.Ordinal);
        Assert.Contains("'reconfirm' '@every_second' runs more often than once a minute", Assert.Single(stackFile.Errors).Message, StringComparison.Ordinal);
    }
}
