using System.Diagnostics;
using System.Net;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.Stack;

/// <summary>
/// The README's "Put it on a server": <c>dotnet publish</c>, then the published build started from another folder
/// serves its stylesheet and finds its templates — no <c>--webroot</c>, nothing copied by hand.
/// </summary>
[Trait(Needs.Key, Needs.Host)]
public sealed class PublishedBuildTests
{
    [Fact]
    public async Task PublishedBuild_StartedFromAnotherFolder_ServesItsStylesAndTemplates()
    {
        var root = Directory.CreateTempSubdirectory("hub-published-").FullName;
        try
        {
            var output = Path.Combine(root, "pub");
            var elsewhere = Directory.CreateDirectory(Path.Combine(root, "elsewhere")).FullName;
            var (publishCode, publishLog) = await RunAsync(RepositoryFiles.Root(), "publish", "src/Micromastery.Hub", "-c", "Release", "-o", output, "--no-restore", "-v", "q", "--nologo");
            Assert.True(publishCode == 0, publishLog);

            var port = FreePort.Next();
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = elsewhere, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(output, "Micromastery.Hub.dll"));
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add($"http://127.0.0.1:{port}");
            start.Environment["Polling__CatchUp"] = "false";
            using var hub = Process.Start(start)!;
            var log = new System.Text.StringBuilder();
            hub.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
            hub.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
            hub.BeginOutputReadLine();
            hub.BeginErrorReadLine();
            try
            {
                using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                await Eventually.ReturnsAsync(async () =>
                {
                    try
                    {
                        return (await client.GetAsync("/health/ready")).StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return HttpStatusCode.ServiceUnavailable;
                    }
                }, s => s == HttpStatusCode.OK || hub.HasExited, "the published hub to be ready", seconds: 60);

                var css = await client.GetAsync("/css/hub.css");
                var home = await client.GetStringAsync("/");
                var email = await client.GetAsync("/email");

                Assert.False(hub.HasExited, log.ToString());
                Assert.Equal(HttpStatusCode.OK, css.StatusCode);
                Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
                Assert.Contains("--accent", await css.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                Assert.Contains("/css/hub.css", home, StringComparison.Ordinal);
                Assert.Equal(HttpStatusCode.OK, email.StatusCode); // the weekly email's preview renders its templates
                Assert.True(File.Exists(Path.Combine(elsewhere, "stack.yml")), "the first stack file is written in the folder it was started from");
            }
            finally
            {
                hub.Kill(entireProcessTree: true);
                await hub.WaitForExitAsync();
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<(int Code, string Log)> RunAsync(string folder, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
