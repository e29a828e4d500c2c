using System.Globalization;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Ui;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Micromastery.Hub.Webhooks;

/// <summary><c>/inbox</c>: the webhook inbox for the operator, an event's page, and replay (one, or every failed one in a filter).</summary>
internal static class InboxPageEndpoints
{
    public static IEndpointRouteBuilder MapInboxPages(this IEndpointRouteBuilder app)
    {
        var inbox = app.MapGroup("/inbox").ExcludeFromDescription();
        inbox.MapGet("/", ListAsync);
        inbox.MapGet("/{id:long}", ShowAsync);
        inbox.MapPost("/{id:long}/replay", ReplayAsync);
        inbox.MapPost("/replay-failed", ReplayFailedAsync);

        // Owner only, like every route that does not say otherwise: asks each provider's log what the inbox missed.
        app.MapPost("/api/inbox/reconcile", async (InboxReconciliation reconciliation, CancellationToken ct) =>
            TypedResults.Ok(await reconciliation.RunAsync(ct)));
        return app;
    }

    private static async Task<RazorComponentResult<InboxPage>> ListAsync(string? provider, string? state, string? via, string? from, string? to, long? before, string? replayed,
        HttpContext context, InboxStore queries, StackStore stack, IEnumerable<IWebhookSource> sources, CancellationToken ct)
    {
        var zone = stack.Current.TimeZone;
        var (filter, problem) = Filter(provider, state, from, to, zone, via);
        // One more than a page tells whether an older page exists without counting the table.
        var events = await queries.PageAsync(filter, before, InboxStore.PageSize + 1, ct);
        var page = events.Take(InboxStore.PageSize).ToList();
        return OwnerPages.Render<InboxPage>(new Dictionary<string, object?>
        {
            [nameof(InboxPage.Events)] = page,
            [nameof(InboxPage.Query)] = filter,
            [nameof(InboxPage.From)] = from,
            [nameof(InboxPage.To)] = to,
            [nameof(InboxPage.FilterQuery)] = QueryOf(filter, from, to),
            [nameof(InboxPage.Before)] = before,
            [nameof(InboxPage.NextBefore)] = events.Count > InboxStore.PageSize ? page[^1].Id : null,
            [nameof(InboxPage.Providers)] = sources.Select(s => s.Provider).Order(StringComparer.Ordinal).ToList(),
            [nameof(InboxPage.Zone)] = zone,
            [nameof(InboxPage.Token)] = OwnerPages.Token(context),
            [nameof(InboxPage.Notice)] = int.TryParse(replayed, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? $"{n} failed {(n == 1 ? "event was" : "events were")} put back in the queue; the drain processes {(n == 1 ? "it" : "them")} as new deliveries." : null,
            [nameof(InboxPage.Problem)] = problem,
        }, problem is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static async Task<Results<RazorComponentResult<InboxEventPage>, RazorComponentResult<OwnerNotFound>>> ShowAsync(long id, string? replayed, HttpContext context, InboxStore queries, StackStore stack, CancellationToken ct)
    {
        if (await queries.GetAsync(id, ct) is not { } detail)
        {
            return OwnerPages.NotFound($"There is no webhook event {id} in the inbox.");
        }

        string? notice = replayed switch
        {
            null => null,
            "processed" => "Replayed an event that had been processed: it went through the drain again and nothing changed (its evidence was already recorded).",
            _ => $"Replayed (it was {replayed}): the event went back in the queue and the drain processes it again. Its state below is the outcome; reload if it still says waiting.",
        };
        return OwnerPages.Render<InboxEventPage>(new Dictionary<string, object?>
        {
            [nameof(InboxEventPage.Detail)] = detail,
            [nameof(InboxEventPage.Zone)] = stack.Current.TimeZone,
            [nameof(InboxEventPage.Token)] = OwnerPages.Token(context),
            [nameof(InboxEventPage.Notice)] = notice,
        });
    }

    private static async Task<Results<ContentHttpResult, RedirectHttpResult, RazorComponentResult<OwnerNotFound>>> ReplayAsync(long id, HttpContext context, InboxStore queries, CancellationToken ct)
    {
        // The form carries only the token; validate it by hand since nothing else is bound from the form.
        if (!await context.RequestServices.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>().IsRequestValidAsync(context))
        {
            return OwnerPages.Refused("This form has expired: reload the page and try again.");
        }

        return await queries.ReplayAsync(id, Who(context), ct) is { } previous
            ? TypedResults.Redirect($"/inbox/{id}?replayed={InboxText.Word(previous)}")
            : OwnerPages.NotFound($"There is no webhook event {id} in the inbox.");
    }

    private static async Task<Results<ContentHttpResult, RedirectHttpResult>> ReplayFailedAsync(string? provider, string? via, string? from, string? to, HttpContext context, InboxStore queries, StackStore stack, CancellationToken ct)
    {
        if (!await context.RequestServices.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>().IsRequestValidAsync(context))
        {
            return OwnerPages.Refused("This form has expired: reload the page and try again.");
        }

        var (filter, problem) = Filter(provider, null, from, to, stack.Current.TimeZone, via);
        if (problem is not null)
        {
            return OwnerPages.Refused(problem);
        }

        var count = await queries.ReplayFailedAsync(filter, Who(context), ct);
        var query = QueryOf(filter with { State = InboxState.Failed }, from, to);
        return TypedResults.Redirect($"/inbox{query}&replayed={count}");
    }

    private static string Who(HttpContext context) => context.User.Identity?.Name ?? "the owner";

    private static (InboxFilter Filter, string? Problem) Filter(string? provider, string? state, string? from, string? to, TimeZoneInfo zone, string? via = null)
    {
        string? problem = null;
        var parsedState = InboxText.Parse(state);
        if (!string.IsNullOrEmpty(state) && parsedState is null)
        {
            problem = $"state: '{state}' is not a state: waiting, processed, ignored or failed.";
        }

        var parsedVia = InboxText.ParseVia(via);
        if (!string.IsNullOrEmpty(via) && parsedVia is null)
        {
            problem = $"via: '{via}' is not a way in: webhook or recovered.";
        }

        long? Day(string field, string? text, int addDays)
        {
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                problem = $"{field}: '{text}' is not a day as yyyy-MM-dd.";
                return null;
            }

            try
            {
                var midnight = day.AddDays(addDays).ToDateTime(TimeOnly.MinValue);
                return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)).ToUnixTimeMilliseconds();
            }
            catch (ArgumentOutOfRangeException)
            {
                // The calendar's first and last days have no midnight on both sides in every time zone.
                problem = $"{field}: '{text}' is outside the days the hub can filter on.";
                return null;
            }
        }

        var filter = new InboxFilter(string.IsNullOrEmpty(provider) ? null : provider, parsedState, Day("from", from, 0), Day("to", to, 1), parsedVia);
        return (filter, problem);
    }

    private static string QueryOf(InboxFilter filter, string? from, string? to)
    {
        var parts = new List<string>();
        if (filter.Provider is { } p) { parts.Add($"provider={Uri.EscapeDataString(p)}"); }
        if (filter.State is { } s) { parts.Add($"state={InboxText.Word(s)}"); }
        if (filter.Via is { } v) { parts.Add($"via={InboxText.Word(v)}"); }
        if (filter.From is not null) { parts.Add($"from={Uri.EscapeDataString(from!)}"); }
        if (filter.To is not null) { parts.Add($"to={Uri.EscapeDataString(to!)}"); }
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}
