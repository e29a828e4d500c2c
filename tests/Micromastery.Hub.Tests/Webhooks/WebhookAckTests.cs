using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Micromastery.Hub.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Micromastery.Hub.Tests.Webhooks;

/// <summary>The acknowledgement a delivery gets is, byte for byte, what <c>Results.Ok(new { id, status })</c> wrote before.</summary>
public sealed class WebhookAckTests
{
    public static TheoryData<string> Ids => new()
    {
        "evt_3QabcDEF0123456789",
        "292430182:0b3c8e9a-1d2e-4f5a-8b6c-7d8e9f0a1b2c",
        "evt_<script>&'\"\\/é€😀\u2028\u0001\t",
        new string('e', 255),
    };

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Ack_IsWhatResultsOkWrote_WithTheHubsJsonOptions(string id)
    {
        foreach (var status in new[] { "stored", "duplicate" })
        {
            await AssertSameAsResultsOk(id, status, _ => { });
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Ack_FollowsTheAppsJsonOptions_WereTheyChanged(string id)
    {
        await AssertSameAsResultsOk(id, "stored", o => o.SerializerOptions.Encoder = JavaScriptEncoder.Default);
        await AssertSameAsResultsOk(id, "stored", o => o.SerializerOptions.WriteIndented = true);
    }

    private static async Task AssertSameAsResultsOk(string id, string status, Action<HttpJsonOptions> configure)
    {
        var services = new ServiceCollection().AddLogging().ConfigureHttpJsonOptions(configure).BuildServiceProvider();
        var options = services.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;

        var (okStatus, okType, okBody) = await WriteAsync(services, Results.Ok(new { id, status }));
        var (ackStatus, ackType, ackBody) = await WriteAsync(services, new WebhookAck(id, status, WebhookAck.FormatOf(options)));

        Assert.Equal((okStatus, okType), (ackStatus, ackType));
        Assert.Equal(okBody, ackBody);
        Assert.Equal(id, JsonDocument.Parse(ackBody).RootElement.GetProperty("id").GetString());
    }

    private static async Task<(int Status, string? ContentType, string Body)> WriteAsync(IServiceProvider services, IResult result)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, context.Response.ContentType, Encoding.UTF8.GetString(body.ToArray()));
    }
}
