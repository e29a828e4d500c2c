using Micromastery.Hub.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Micromastery.Hub.Payoffs;

/// <summary>The payoff report as JSON: <c>GET /api/stack</c> and one micromastery's entry; the pages read the same report.</summary>
internal static class StackReportEndpoints
{
    public static IEndpointRouteBuilder MapStackReport(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Stack");

        api.MapGet("/stack", async (PayoffReporter reporter, CancellationToken ct) => TypedResults.Ok(await reporter.BuildAsync(ct)));

        api.MapGet("/micromasteries/{slug}", async Task<Results<Ok<MicromasteryReport>, ProblemHttpResult>> (string slug, PayoffReporter reporter, CancellationToken ct) =>
            await reporter.BuildOneAsync(slug, PayoffReporter.NewestEvidence, ct) is { } report
                ? TypedResults.Ok(report)
                : Problems.NotFound($"no micromastery '{slug}' in the stack"));

        api.MapGet("/check-types", (CheckTypeRegistry registry) => TypedResults.Ok(registry.Names.Select(n => registry.Find(n)!).Select(t => new
        {
            t.Type,
            t.Description,
            Parameters = t.Parameters.Select(p => new { p.Name, p.Required, p.Description }),
        })));

        return app;
    }
}
