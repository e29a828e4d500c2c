using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.Stack;

internal static class StackEndpoints
{
    public static IEndpointRouteBuilder MapStack(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Stack");

        api.MapGet("/stack", async (PayoffReporter reporter, CancellationToken ct) => TypedResults.Ok(await reporter.BuildAsync(ct)));

        api.MapGet("/catalog", () => TypedResults.Ok(Catalog.Staples.Select(s => new
        {
            s.Id,
            s.Name,
            Layer = s.Layer.Code(),
            LayerTitle = s.Layer.Title(),
            s.Anatomy,
            Checks = s.Checks.Select(c => new { c.Type, c.RequiredParameters }),
            s.IsManualOnly,
        })));

        api.MapGet("/check-types", (CheckTypeRegistry registry) => TypedResults.Ok(registry.Names.Select(n => registry.Find(n)!).Select(t => new
        {
            t.Type,
            t.Description,
            Parameters = t.Parameters.Select(p => new { p.Name, p.Required, p.Description }),
        })));

        app.MapStart();
        return app;
    }
}
