using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Micromastery.Hub.CalCom;
using Micromastery.Hub.GitHub;
using Micromastery.Hub.Stripe;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.WebhookBench;

/// <summary>
/// What the endpoint does with a delivery's bytes once they are read, without a host: the opening rules
/// with the provider's verification (<see cref="WebhookOpening"/>), then the text that is stored (decoded
/// once, by Stripe's verification or after it). Before the request-path work this was
/// <c>WebhookOpening.Check(source, headers, bytes)</c> and a strict decode of the bytes; the figures in
/// <c>bench/webhook-request-path.md</c> name the commit each side was measured at.
/// </summary>
[MemoryDiagnoser]
public class OpeningBenchmarks
{
    private IWebhookSource _source = null!;
    private HeaderDictionary _headers = null!;
    private byte[] _body = null!;

    [Params("stripe", "github", "calcom")]
    public string Provider { get; set; } = "stripe";

    [GlobalSetup]
    public void Setup()
    {
        var delivery = Deliveries.Create(Provider, 1);
        _body = delivery.Body;
        _headers = [];
        foreach (var (name, value) in delivery.Headers)
        {
            _headers[name] = value;
        }

        var secret = Deliveries.Secrets[Provider];
        _source = Provider switch
        {
            "stripe" => new StripeWebhookSource(new Fixed<StripeOptions>(new() { WebhookSecret = secret, ToleranceSeconds = 100_000_000 }), TimeProvider.System),
            "github" => new GitHubWebhookSource(new Fixed<GitHubOptions>(new() { WebhookSecret = secret }), null!),
            "calcom" => new CalComWebhookSource(new Fixed<CalComOptions>(new() { WebhookSecret = secret })),
            _ => throw new InvalidOperationException(Provider),
        };
        if (VerifyAndDecode() is null)
        {
            throw new InvalidOperationException("not accepted");
        }
    }

    [Benchmark]
    public string? VerifyAndDecode()
    {
        var body = new WebhookBody(_body);
        return WebhookOpening.Check(_source, _headers, body) is WebhookCheck.Accepted ? body.Text : null;
    }

    private sealed class Fixed<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
