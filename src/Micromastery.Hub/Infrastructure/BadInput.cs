using System.Text.RegularExpressions;

namespace Micromastery.Hub.Infrastructure;

/// <summary>
/// A query or form value an endpoint cannot bind (<c>?before=abc</c>, a malformed JSON body) is answered 400 with
/// ProblemDetails naming the field, instead of an empty 400: minimal APIs throw instead of answering silently, and
/// this middleware turns the throw into the answer. Nothing has run, so nothing changed.
/// </summary>
internal sealed partial class BadInput(RequestDelegate next, ILogger<BadInput> logger)
{
    public static void Configure(IServiceCollection services) =>
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            var field = Parameter().Match(ex.Message) is { Success: true } match ? match.Groups[1].Value : null;
            LogRefused(logger, context.Request.Method, context.Request.Path, ex.Message);
            context.Response.Clear();
            var errors = field is null ? null : new Dictionary<string, string[]> { [field] = [ex.Message] };
            await TypedResults.Problem(
                    detail: field is null ? ex.Message : $"{field}: {ex.Message}",
                    statusCode: ex.StatusCode,
                    title: "The request has a value the hub cannot read",
                    extensions: errors is null ? null : new Dictionary<string, object?> { ["errors"] = errors })
                .ExecuteAsync(context);
        }
    }

    // "Failed to bind parameter "long? before" from "abc"." / "Required parameter "string to" was not provided …"
    [GeneratedRegex("parameter \"[^\"]*?([A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex Parameter();

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, string reason);
}
