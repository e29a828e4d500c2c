using Micromastery.Hub.Stack;
using Micromastery.Hub.Ui;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Micromastery.Hub.Connections;

/// <summary><c>/connections</c>: each provider's webhook URL, secret, last delivery, refusals, credential, and a Test connection.</summary>
internal static class ConnectionsEndpoints
{
    public static IEndpointRouteBuilder MapConnections(this IEndpointRouteBuilder app)
    {
        var page = app.MapGroup("/connections").ExcludeFromDescription();
        page.MapGet("/", async (string? tested, HttpContext context, ConnectionsReader reader, StackStore stack, CancellationToken ct) =>
            OwnerPages.Render<ConnectionsPage>(new Dictionary<string, object?>
            {
                [nameof(ConnectionsPage.Providers)] = await reader.ReadAsync(context, ct),
                [nameof(ConnectionsPage.Zone)] = stack.Current.TimeZone,
                [nameof(ConnectionsPage.Token)] = OwnerPages.Token(context),
                [nameof(ConnectionsPage.Tested)] = tested,
            }));
        page.MapPost("/{provider}/test", async Task<Results<ContentHttpResult, RedirectHttpResult, RazorComponentResult<OwnerNotFound>>> (string provider, HttpContext context, ConnectionsReader reader, IAntiforgery antiforgery, CancellationToken ct) =>
        {
            // The form carries only the token: validated by hand, since nothing is bound from the form.
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return OwnerPages.Refused("This form has expired: reload the page and try again.");
            }

            return await reader.TestAsync(provider, ct)
                ? TypedResults.Redirect($"/connections?tested={Uri.EscapeDataString(provider)}#{provider}-test")
                : OwnerPages.NotFound($"There is no provider '{provider}'.");
        });
        return app;
    }
}
