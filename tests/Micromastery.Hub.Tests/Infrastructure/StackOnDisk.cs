using Micromastery.Hub.CalCom;
using Micromastery.Hub.GitHub;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Stripe;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>A <see cref="StackStore"/> loaded from a stack file in a temporary folder, without a host; the folder goes with it.</summary>
public sealed class StackOnDisk : IDisposable
{
    /// <summary>The check types the provider tests' stacks use; only their parameters are read, never their API clients.</summary>
    public static readonly CheckTypeRegistry Types = new([
        new ManualCheckType(),
        new StripeTestPaymentCheck(api: null!),
        new GitHubWorkflowRunCheck(api: null!, TimeProvider.System),
        new CalComBookingCheck(api: null!, TimeProvider.System),
    ]);

    private readonly string _folder = Directory.CreateTempSubdirectory("hub-stack-").FullName;

    public StackOnDisk(string yaml)
    {
        File.WriteAllText(Path.Combine(_folder, "stack.yml"), yaml);
        Store = new StackStore(
            new StackFileParser(Types),
            Options.Create(new StackOptions { Path = "stack.yml" }),
            Options.Create(new StorageOptions { DataDirectory = "data" }),
            new TestEnvironment(_folder),
            NullLogger<StackStore>.Instance);
        var errors = Store.Reload();
        Assert.True(errors.Count == 0, string.Join("; ", errors));
    }

    public StackStore Store { get; }

    public void Dispose()
    {
        Store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
