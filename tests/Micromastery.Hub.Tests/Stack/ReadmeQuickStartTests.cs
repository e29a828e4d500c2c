using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Stack;

/// <summary>The README's "See a payoff verified, by hand" block, run as written (bash, curl, openssl) against a hub with an empty folder.</summary>
[Trait(Needs.Key, Needs.Host)]
public sealed partial class ReadmeQuickStartTests
{
    [Fact]
    public async Task ReadmeBlock_RunAsWritten_VerifiesThePayoff()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryFiles.Root(), "README.md"));
        var block = QuickStart().Match(readme);
        Assert.True(block.Success, "README.md has no 'See a payoff verified, by hand' sh block");
        await using var own = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        File.Delete(own.StackPath); // the hub writes its first stack, as on a fresh machine
        var secret = Regex.Match(block.Groups[1].Value, @"Stripe__WebhookSecret=(\S+)").Groups[1].Value;
        var factory = own.Start(new Dictionary<string, string?> { ["Stripe:WebhookSecret"] = secret });
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        // The hub is already running: every line but the one that starts it, pointed at this hub's port.
        var script = string.Join('\n', block.Groups[1].Value.Split('\n').Where(l => !l.Contains("dotnet run", StringComparison.Ordinal)))
            .Replace("localhost:5080", address.Replace("http://", "", StringComparison.Ordinal), StringComparison.Ordinal);

        using var bash = Process.Start(new ProcessStartInfo("/bin/bash", ["-euo", "pipefail", "-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        var errors = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        var m = await client.VerifiedAsync("stripe-payment-link");

        Assert.True(bash.ExitCode == 0, errors);
        Assert.Contains("\"status\":\"stored\"", output, StringComparison.Ordinal);
        Assert.Equal(PayoffStates.Verified, m.Payoff);
        Assert.False(Assert.Single(m.Evidence).Prior);
    }

    [GeneratedRegex(@"### See a payoff verified, by hand\s+```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex QuickStart();
}
