using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Micromastery.Hub.PublicPage;

/// <summary>
/// Serves a public output from <see cref="PublicCache"/> and revalidates clients: every answer carries a strong ETag
/// (a hash of its bytes) and a matching If-None-Match gets 304 without a body. A miss runs the endpoint, buffers what
/// it writes, and keeps it for the requests that follow until what it shows changes.
/// </summary>
internal sealed class PublicAnswerFilter(PublicCache cache) : IEndpointFilter
{
    // Not replayed: the server writes these per response. Set-Cookie is never cached (an owner's renewed sign-in cookie must not reach strangers).
    private static readonly HashSet<string> PerResponse = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.ContentLength, HeaderNames.Date, HeaderNames.Server, HeaderNames.TransferEncoding, HeaderNames.SetCookie,
    };

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        var key = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}{context.Request.QueryString}";
        PublicCache.Generation? generation = null;
        if (cache.Enabled)
        {
            generation = await cache.CurrentAsync(context.RequestAborted);
            if (cache.Find(key, generation) is { } kept)
            {
                return new AnswerResult(kept, ifNoneMatch);
            }
        }

        // The endpoint answers in full; 304 is decided here, against the answer's own ETag.
        context.Request.Headers.IfNoneMatch = default;
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            var result = await next(invocation);
            if (result is IResult written)
            {
                await written.ExecuteAsync(context);
            }
            else if (result is not null)
            {
                await Results.Ok(result).ExecuteAsync(context);
            }
        }
        finally
        {
            context.Response.Body = original;
        }

        var body = buffer.ToArray();
        var headers = context.Response.Headers;
        var etag = headers.ETag.Count > 0 ? headers.ETag.ToString() : $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..32]}\"";
        if (headers.CacheControl.Count == 0)
        {
            // Pages: a browser may keep them and asks again each time (a 304 is a few hundred bytes).
            headers.CacheControl = "public, no-cache";
        }

        var answer = new PublicAnswer(generation ?? new PublicCache.Generation(-1, Stack.StackDefinition.Empty), System.Diagnostics.Stopwatch.GetTimestamp(),
            context.Response.StatusCode, headers.Where(h => !PerResponse.Contains(h.Key) && !h.Key.Equals(HeaderNames.ETag, StringComparison.OrdinalIgnoreCase))
                .Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())).ToList(), body, etag);
        // An answer for one viewer (the owner's variant of a page, which names the stack file) is never kept for the next stranger.
        var forOneViewer = headers.CacheControl.ToString() is var cacheControl
                           && (cacheControl.Contains("private", StringComparison.OrdinalIgnoreCase) || cacheControl.Contains("no-store", StringComparison.OrdinalIgnoreCase));
        if (generation is not null && !forOneViewer && !headers.ContainsKey(HeaderNames.SetCookie) && answer.StatusCode is StatusCodes.Status200OK or StatusCodes.Status404NotFound)
        {
            cache.Keep(key, answer);
        }

        return new AnswerResult(answer, ifNoneMatch);
    }

    /// <summary>If-None-Match uses the weak comparison (RFC 9110 13.1.2): <c>W/</c> is ignored, and <c>*</c> matches.</summary>
    internal static bool Matches(string ifNoneMatch, string etag) =>
        ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(t => t == "*" || (t.StartsWith("W/", StringComparison.Ordinal) ? t[2..] : t) == etag);

    private sealed class AnswerResult(PublicAnswer answer, string ifNoneMatch) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var response = context.Response;
            foreach (var (name, value) in answer.Headers)
            {
                response.Headers[name] = value;
            }

            if (answer.StatusCode != StatusCodes.Status200OK)
            {
                response.StatusCode = answer.StatusCode;
                return response.Body.WriteAsync(answer.Body, context.RequestAborted).AsTask();
            }

            response.Headers.ETag = answer.ETag;
            if (ifNoneMatch.Length > 0 && Matches(ifNoneMatch, answer.ETag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                response.Headers.ContentType = default;
                return Task.CompletedTask;
            }

            response.StatusCode = StatusCodes.Status200OK;
            response.ContentLength = answer.Body.Length;
            return response.Body.WriteAsync(answer.Body, context.RequestAborted).AsTask();
        }
    }
}
