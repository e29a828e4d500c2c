using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Micromastery.Hub.Webhooks;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Micromastery.Hub.WebhookBench;

/// <summary>
/// The 200 acknowledgement alone, on a bare <see cref="DefaultHttpContext"/>: <c>Results.Ok(new { id, status })</c>
/// as the endpoint answered before, <see cref="WebhookAck"/> as it answers now (same bytes), and the context
/// without any answer, which both include.
/// </summary>
[MemoryDiagnoser]
public class AckBenchmarks
{
    private const string Id = "evt_bench00000000000000000001";

    private IServiceProvider _services = null!;
    private JsonWriterOptions _format;

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddLogging().ConfigureHttpJsonOptions(_ => { }).BuildServiceProvider();
        _format = WebhookAck.FormatOf(_services.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions);
    }

    [Benchmark(Baseline = true)]
    public Task ResultsOk() => Results.Ok(new { id = Id, status = "stored" }).ExecuteAsync(Context());

    [Benchmark]
    public Task Ack() => new WebhookAck(Id, "stored", _format).ExecuteAsync(Context());

    [Benchmark]
    public HttpContext ContextOnly() => Context();

    private DefaultHttpContext Context()
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Response.Body = Stream.Null;
        return context;
    }
}
