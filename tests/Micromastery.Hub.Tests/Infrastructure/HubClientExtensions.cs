using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.Tests.Infrastructure;

public static class HubClientExtensions
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task<HttpResponseMessage> PostWebhookAsync(this HttpClient client, string provider, string body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{provider}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return client.SendAsync(request);
    }

    public static async Task<StackReport> StackAsync(this HttpClient client) =>
        (await client.GetFromJsonAsync<StackReport>("/api/stack", Json))!;

    public static async Task<MicromasteryReport> MicromasteryAsync(this HttpClient client, string slug) =>
        (await client.StackAsync()).Micromasteries.Single(m => m.Slug == slug);

    /// <summary>Waits until the micromastery's payoff is verified (processing runs in Hangfire jobs).</summary>
    public static Task<MicromasteryReport> VerifiedAsync(this HttpClient client, string slug) =>
        Eventually.ReturnsAsync(() => client.MicromasteryAsync(slug), m => m.Payoff == PayoffStates.Verified, $"{slug} to be verified");
}
