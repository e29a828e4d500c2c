using Microsoft.AspNetCore.Http.HttpResults;

namespace Micromastery.Hub.Infrastructure;

/// <summary>
/// Errors speak one language: ProblemDetails (RFC 9457, <c>application/problem+json</c>) with <c>type</c>, <c>title</c>,
/// <c>status</c> and <c>detail</c>, and <c>errors</c> per JSON field for bad input. Endpoints answer with these helpers;
/// an unhandled exception and a bare error status (an unmatched route, a body that could not be bound) get the same shape.
/// Owner pages answer a browser with their own HTML pages instead.
/// </summary>
internal static class Problems
{
    public static IHostApplicationBuilder AddProblems(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        return builder;
    }

    /// <summary>Outermost in the pipeline, so whatever fails behind it is answered as a problem.</summary>
    public static WebApplication UseProblems(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    public static ProblemHttpResult NotFound(string detail) => Status(StatusCodes.Status404NotFound, "Not found", detail);

    public static ProblemHttpResult Status(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, extensions: extensions);

    /// <summary>Bad input at one JSON field (or query parameter), named as the caller sent it.</summary>
    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: $"{field}: {message}");

    /// <summary>For middleware that answers before any endpoint runs.</summary>
    public static Task WriteAsync(HttpContext context, int status, string title, string detail) =>
        Status(status, title, detail).ExecuteAsync(context);
}
