using System.Diagnostics;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.CommandLine;

/// <summary>The real executable run with a verb, as a user types it: its output is the verb's, nothing else.</summary>
[Trait(Needs.Key, Needs.Host)]
public sealed class VerbProcessTests
{
    [Fact]
    public async Task ConfigVerb_PrintsOnlyItsTable_EvenWithTheShippedInformationLogging()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        // The content root is the working directory: give it the hub's shipped settings, as `dotnet run` has.
        File.Copy(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), Path.Combine(hub.Directory, "appsettings.json"));
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = hub.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Micromastery.Hub.dll"));
        start.ArgumentList.Add("config");
        // Whatever the machine has set, the shipped appsettings.json (Information) applies.
        start.Environment.Remove("Logging__LogLevel__Default");

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 3, await output + await errors);
        Assert.StartsWith("area", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("stack", StringComparison.Ordinal) && l.Contains("yes", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("info:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LogVerb_RecordsASession_ThatTheHubThenServes_AndRefusesBadInputNamingTheField()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var (logged, loggedOut, _) = await RunAsync(hub, "log", "stripe-payment-link", "45", "debugged the webhook", "--on", yesterday);
        var (refused, _, refusedErr) = await RunAsync(hub, "log", "stripe-payment-link", "0");
        var sessions = await hub.Start().CreateClient().GetStringAsync("/api/practice");

        Assert.Equal(0, logged);
        Assert.Contains($"logged 45 min of stripe-payment-link on {yesterday}", loggedOut, StringComparison.Ordinal);
        Assert.Equal(1, refused);
        Assert.StartsWith("minutes:", refusedErr.Trim(), StringComparison.Ordinal);
        Assert.Contains("debugged the webhook", sessions, StringComparison.Ordinal);
        Assert.Equal(1, sessions.Split("\"minutes\"").Length - 1);
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(DedicatedHub hub, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = hub.Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Micromastery.Hub.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }

    [Fact]
    public async Task MistypedVerb_IsACommandLineError_NotTheHubStarting()
    {
        await using var hub = await DedicatedHub.CreateAsync(StorageProvider.Sqlite);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = hub.Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Micromastery.Hub.dll"));
        start.ArgumentList.Add("chek");
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exited = await process.WaitForExitAsync(timeout.Token).ContinueWith(t => t.IsCompletedSuccessfully);
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
        }

        Assert.True(exited, "the hub started instead of refusing the unknown verb");
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("chek", await errors + await output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "init" }, true)]
    [InlineData(new[] { "hash-password" }, true)]
    [InlineData(new[] { "--help" }, true)]
    [InlineData(new[] { "--urls", "http://localhost:5081" }, false)]
    [InlineData(new[] { "Storage:Provider=Postgres" }, false)]
    [InlineData(new string[0], false)]
    public void IsCommand_TellsVerbsFromTheHubsOwnArguments(string[] args, bool isCommand) =>
        Assert.Equal(isCommand, Micromastery.Hub.CommandLine.HubCommandLine.IsCommand(args));
}
