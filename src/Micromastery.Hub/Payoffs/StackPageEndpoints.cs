using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

/// <summary><c>GET /</c>: the owner's stack at a glance, from the same report as <c>GET /api/stack</c>.</summary>
internal static class StackPageEndpoints
{
    public static IEndpointRouteBuilder MapStackPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", async (PayoffReporter reporter, StackStore stack, Connections.ConnectionsReader connections, CancellationToken ct) =>
        {
            // The page lists no evidence items (the summaries say what it shows): none are read.
            var report = await reporter.BuildAsync(null, newest: 0, ct);
            return Ui.OwnerPages.Render<StackPage>(new
            {
                Report = report,
                stack.Errors,
                StackFile = stack.Path,
                Zone = stack.Current.TimeZone,
                MissingConnections = connections.Missing(report),
            });
        }).ExcludeFromDescription();
        return app;
    }
}
