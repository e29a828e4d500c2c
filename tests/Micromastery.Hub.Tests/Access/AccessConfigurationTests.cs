using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Micromastery.Hub.Access;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Access;

/// <summary>How the owner's credentials are configured: none, the former keys, a hash from the verb, wrong values.</summary>
[Trait(Needs.Key, Needs.Host)]
public sealed class AccessConfigurationTests
{
    [Fact]
    public async Task WithoutCredentials_AStrangerIsToldWhichKeysToSet_AndABrowserSeesItOnTheSignInPage()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var factory = hub.Start();
        var stranger = Visitor.StrangerThroughProxy(factory.Server);

        var api = await stranger.GetAsync("/api/stack");
        var browser = await stranger.GetAsync("/", "text/html");
        var page = await stranger.GetAsync(browser.Headers.Location.ToString(), "text/html");
        var local = await Visitor.OwnerOnThisMachine(factory.Server).GetAsync("/api/stack");

        Assert.Equal(StatusCodes.Status403Forbidden, api.Status);
        Assert.Contains("Operator:Username", api.Body, StringComparison.Ordinal);
        Assert.Contains("Operator:PasswordHash", api.Body, StringComparison.Ordinal);
        Assert.Equal(StatusCodes.Status302Found, browser.Status);
        Assert.Contains("Sign-in is off", page.Body, StringComparison.Ordinal);
        Assert.Contains("hash-password", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("type=\"password\"", page.Body, StringComparison.Ordinal);
        Assert.Equal(StatusCodes.Status200OK, local.Status);
    }

    [Fact]
    public async Task FormerDashboardKeys_StillLetTheOwnerIn_WithAWarningAtStartUp()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var factory = hub.Start(new Dictionary<string, string?> { ["Dashboard:Username"] = "ops", ["Dashboard:Password"] = "an old plain password" });
        var client = Visitor.StrangerThroughProxy(factory.Server);

        var answer = await client.GetAsync("/hangfire", "text/html", ("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:an old plain password"))));

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Contains(factory.Logs.Entries, l => l.Contains("Dashboard:Username and Dashboard:Password are deprecated", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Operator:Username", "owner", "neither Operator:PasswordHash nor Operator:Password")]
    [InlineData("Operator:PasswordHash", "not-a-hash", "Operator:Username is required")]
    [InlineData("Access:KnownNetworks:0", "172.18.0.0/99", "Access:KnownNetworks: '172.18.0.0/99' is not a network")]
    [InlineData("Access:KnownProxies:0", "proxy.local", "Access:KnownProxies: 'proxy.local' is not an IP address")]
    public async Task AnIncompleteOrWrongSetting_StopsTheStart_NamingTheKey(string key, string value, string message)
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var factory = hub.Start(new Dictionary<string, string?> { [key] = value });
        Assert.ThrowsAny<Exception>(() => factory.Server);

        // What the start ran and refused, asked directly: when the start fails, WebApplicationFactory's deferred host may
        // report only that its services were disposed under it (a race inside the factory), not the validation's message.
        await using var services = await HubServices.CreateAsync(settings: new Dictionary<string, string?> { [key] = value });
        var error = Assert.ThrowsAny<Exception>(() => services.Service<IStartupValidator>().Validate());
        var validation = error as OptionsValidationException
            ?? (error as AggregateException)?.Flatten().InnerExceptions.OfType<OptionsValidationException>().FirstOrDefault(e => e.Message.Contains(message, StringComparison.Ordinal));
        Assert.True(validation is not null, $"expected the options validation to refuse the start, got: {error}");
        Assert.Contains(message, validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HashPasswordVerb_PrintsAHashThatSignsTheOwnerIn()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = hub.Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Micromastery.Hub.dll"));
        start.ArgumentList.Add(HashPasswordVerb.Name);

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync("a long passphrase for the hub");
        process.StandardInput.Close();
        var output = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();
        var factory = hub.Start(new Dictionary<string, string?> { ["Operator:Username"] = "me", ["Operator:PasswordHash"] = output });
        var right = await Visitor.StrangerThroughProxy(factory.Server, "203.0.113.70").SignInAsync("me", "a long passphrase for the hub");
        var wrong = await Visitor.StrangerThroughProxy(factory.Server, "203.0.113.71").SignInAsync("me", "a long passphrase for the hub ");

        Assert.Equal(0, process.ExitCode);
        Assert.DoesNotContain("passphrase", output, StringComparison.Ordinal);
        Assert.True(OwnerPassword.IsHash(output), output);
        Assert.Equal(StatusCodes.Status302Found, right.Status);
        Assert.Equal(StatusCodes.Status401Unauthorized, wrong.Status);
    }
}
