using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Micromastery.Hub.Payoffs;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Micromastery.Hub.LandingPage;

/// <summary>What fetching a page showed: the redirect chain, the final answer and each TLS host's certificate.</summary>
internal sealed record PageVisit(string FinalUrl, IReadOnlyList<string> Chain, HttpStatusCode Status, string Body, IReadOnlyDictionary<string, CertificateSeen> Certificates);

internal sealed record CertificateSeen(DateTimeOffset NotAfter, string? Problem);

/// <summary>
/// Fetches a page following redirects itself, so each hop is reported and each TLS certificate is seen.
/// A fresh handler per fetch is the price of seeing certificates (HttpClient does not expose them); one
/// fetch per check per period makes that cheap. Same resilience policy as the API clients.
/// </summary>
internal sealed class PageFetcher(IOptionsMonitor<LandingPageOptions> options, IOptions<PollingOptions> polling)
{
    private const int MaxBodyChars = 2 * 1024 * 1024;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline = Build(polling.Value);

    public async Task<PageVisit> FetchAsync(string url, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var extraRoots = LoadRoots(settings.ExtraRootCertificates);
        var certificates = new Dictionary<string, CertificateSeen>(StringComparer.OrdinalIgnoreCase);
        using var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromMilliseconds(polling.Value.AttemptTimeoutMs),
            SslOptions = new SslClientAuthenticationOptions
            {
                // Accept the handshake, judge afterwards: an untrusted certificate is a verdict ("not holds"), not an error.
                RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                {
                    if (certificate is not null && sender is SslStream stream)
                    {
                        var problem = Judge(new X509Certificate2(certificate), errors, extraRoots);
                        lock (certificates)
                        {
                            certificates[stream.TargetHostName] = new CertificateSeen(new X509Certificate2(certificate).NotAfter.ToUniversalTime(), problem);
                        }
                    }

                    return true;
                },
            },
        };
        using var client = new HttpClient(new ResilienceHandler(_pipeline) { InnerHandler = sockets }) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("MicromasteryHub/1.0 (+payoff check)");

        var chain = new List<string> { url };
        var current = new Uri(url);
        for (var hop = 0; ; hop++)
        {
            using var response = await SendAsync(client, current, cancellationToken);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                if (hop >= settings.MaxRedirects)
                {
                    throw new CheckPendingException($"more than {settings.MaxRedirects} redirects: {string.Join(" → ", chain)}");
                }

                current = location.IsAbsoluteUri ? location : new Uri(current, location);
                chain.Add(current.ToString());
                continue;
            }

            var body = (int)response.StatusCode is >= 200 and < 300 ? await ReadAsync(response, cancellationToken) : "";
            return new PageVisit(current.ToString(), chain, response.StatusCode, body, certificates);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Uri uri, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            throw PollingResilience.Unavailable(uri.Host, ex);
        }
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Length > MaxBodyChars ? text[..MaxBodyChars] : text;
    }

    /// <summary>Null when the certificate is valid for the host (by the system's roots or the configured extra roots).</summary>
    private static string? Judge(X509Certificate2 certificate, SslPolicyErrors errors, X509Certificate2Collection? extraRoots)
    {
        if (errors == SslPolicyErrors.None)
        {
            return null;
        }

        if (errors == SslPolicyErrors.RemoteCertificateChainErrors && extraRoots is { Count: > 0 })
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(extraRoots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain.Build(certificate))
            {
                return null;
            }
        }

        return errors switch
        {
            SslPolicyErrors.RemoteCertificateNameMismatch => "certificate does not name this host",
            SslPolicyErrors.RemoteCertificateChainErrors => "certificate is not trusted (self-signed, expired or unknown issuer)",
            _ => $"certificate is not valid ({errors})",
        };
    }

    private static X509Certificate2Collection? LoadRoots(string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            return null;
        }

        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(path);
        return roots;
    }

    private static ResiliencePipeline<HttpResponseMessage> Build(PollingOptions options)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        PollingResilience.Configure(builder, options);
        return builder.Build();
    }
}
