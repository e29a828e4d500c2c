using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Micromastery.Hub.Tests.Infrastructure;

/// <summary>
/// A real SMTP server for the tests: npm's maildev (pinned in the repository's package.json), started
/// on free loopback ports and read through its REST API. Not installed is a failure with the fix in
/// the message, never a skip.
/// </summary>
// An SMTP stand-in like WireMock, not a hub: tests that only need it stay in the fast loop.
[Starts(Needs.Nothing)]
public sealed class MailDevServer : IDisposable
{
    private readonly Process _process;

    private MailDevServer(Process process, int smtpPort, int webPort)
    {
        _process = process;
        SmtpPort = smtpPort;
        WebPort = webPort;
        // maildev 3.x serves its REST API under /api (2.x did not).
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}/api/") };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
    }

    public int SmtpPort { get; }

    public int WebPort { get; }

    public HttpClient Http { get; }

    public static MailDevServer Start()
    {
        var root = RepositoryFiles.Root();
        var program = Path.Combine(root, "node_modules", ".bin", "maildev");
        if (!File.Exists(program))
        {
            throw new InvalidOperationException(
                $"maildev is not installed ({program} is missing). Run 'npm ci' in {root}: package.json pins maildev 3.0.0, the SMTP server the email tests send to.");
        }

        var (smtp, web) = (FreePort.Next(), FreePort.Next());
        // Its own mail folder: maildev's default (/tmp/maildev) is shared, and one instance's "delete all" would empty another's.
        var mails = Directory.CreateTempSubdirectory("maildev-").FullName;
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "--smtp", $"{smtp}", "--web", $"{web}", "--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--mail-directory", mails })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new MailDevServer(process, smtp, web);
        server.WaitUntilUp();
        return server;
    }

    public async Task<JsonArray> EmailsAsync() => JsonNode.Parse(await Http.GetStringAsync("email"))!.AsArray();

    public async Task ClearAsync() => (await Http.DeleteAsync("email/all")).EnsureSuccessStatusCode();

    /// <summary>Waits until at least <paramref name="count"/> emails arrived.</summary>
    public Task<JsonArray> WaitForAsync(int count) =>
        Eventually.ReturnsAsync(EmailsAsync, list => list.Count >= count, $"{count} email(s) in maildev");

    public void Dispose()
    {
        Stop();
        Http.Dispose();
    }

    private void Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void WaitUntilUp()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"maildev exited at start-up with code {_process.ExitCode}");
            }

            try
            {
                using var smtp = new TcpClient();
                smtp.Connect(IPAddress.Loopback, SmtpPort);
                if (Http.GetAsync("healthz").GetAwaiter().GetResult().IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is SocketException or HttpRequestException)
            {
            }

            Thread.Sleep(100);
        }

        Stop();
        throw new InvalidOperationException("maildev did not answer on its SMTP and web ports within 30 s");
    }
}
