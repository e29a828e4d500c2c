using System.Net;
using System.Text.Json;

namespace Micromastery.Hub.Payoffs;

/// <summary>
/// A GET against a service's JSON API, with the service's failures turned into check outcomes:
/// 401/403 → not configured (the key is wrong), anything else that is not 2xx, a timeout or a body
/// that is not JSON → unavailable. Only a 2xx JSON body is ever evidence.
/// </summary>
internal static class ServiceHttp
{
    public static async Task<JsonDocument> GetJsonAsync(HttpClient client, HttpRequestMessage request, string service, string credentialKey, CancellationToken cancellationToken) =>
        (await GetAsync(client, request, service, credentialKey, missingIsAnswer: false, cancellationToken))!;

    /// <summary>A GET of one object by id: 404 or 410 is the service's answer "no such object" (null), not a failure.</summary>
    public static Task<JsonDocument?> FindJsonAsync(HttpClient client, HttpRequestMessage request, string service, string credentialKey, CancellationToken cancellationToken) =>
        GetAsync(client, request, service, credentialKey, missingIsAnswer: true, cancellationToken);

    private static async Task<JsonDocument?> GetAsync(HttpClient client, HttpRequestMessage request, string service, string credentialKey, bool missingIsAnswer, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            throw PollingResilience.Unavailable(service, ex);
        }

        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new CheckNotConfiguredException($"{credentialKey} ({service} rejected it)", rejected: true);
            }

            if (missingIsAnswer && response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw PollingResilience.Unavailable(service, response);
            }

            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            }
            catch (JsonException ex)
            {
                throw new CheckUnavailableException($"{service} answered with a body that is not JSON", null, ex);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
            {
                throw PollingResilience.Unavailable(service, ex);
            }
        }
    }

    /// <summary>The <c>data</c> array of a <c>{ "data": [...] }</c> envelope, or nothing.</summary>
    public static IEnumerable<JsonElement> DataArray(this JsonDocument document) =>
        document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
            ? data.EnumerateArray()
            : [];
}
