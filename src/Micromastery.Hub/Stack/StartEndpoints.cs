using System.Text.Json;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Ui;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Micromastery.Hub.Stack;

/// <summary>
/// The catalog (<c>GET /api/catalog</c>) and starting a micromastery from it: <c>POST /api/micromasteries</c> and the
/// <c>/catalog</c> page with its Start forms, two thin adapters over <see cref="StackStarter"/>.
/// </summary>
internal static class StartEndpoints
{
    /// <summary>The JSON body of <c>POST /api/micromasteries</c>.</summary>
    public sealed record StartBody(string? Staple, string? Started, bool? Public, Dictionary<string, string>? Parameters);

    /// <summary>Form fields for a main check's parameters are named with this prefix: <c>parameter.repo</c>.</summary>
    public const string ParameterField = "parameter.";

    public static IEndpointRouteBuilder MapCatalog(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/catalog", () => TypedResults.Ok(Catalog.Staples.Select(s => new
        {
            s.Id,
            s.Name,
            Layer = s.Layer.Code(),
            LayerTitle = s.Layer.Title(),
            s.Anatomy,
            Checks = s.Checks.Select(c => new { c.Type, c.RequiredParameters }),
            s.IsManualOnly,
        }))).WithTags("Stack");
        app.MapPost("/api/micromasteries", StartFromApiAsync).WithTags("Stack");

        var page = app.MapGroup("/catalog").ExcludeFromDescription();
        page.MapGet("/", (HttpContext context, StackStore stack, StackStarter starter) => RenderPage(context, stack, starter, new CatalogPage.Failure(null, null, null, null), StatusCodes.Status200OK));
        page.MapPost("/start", StartFromPageAsync);
        return app;
    }

    private static async Task<Results<Created<MicromasteryReport>, ValidationProblem, ProblemHttpResult>> StartFromApiAsync(
        HttpContext context, StackStarter starter, PayoffReporter reporter, CancellationToken ct)
    {
        StartBody? body;
        try
        {
            body = await context.Request.ReadFromJsonAsync<StartBody>(ct);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["send a JSON object: {\"staple\": \"stripe-payment-link\"}"] });
        }

        var result = await starter.StartAsync(new StartRequest(body?.Staple, body?.Started, body?.Public ?? false, body?.Parameters), ct);
        return result switch
        {
            StartResult.Started started => TypedResults.Created($"/api/micromasteries/{started.Slug}", await reporter.BuildOneAsync(started.Slug, PayoffReporter.NewestEvidence, ct)),
            StartResult.AlreadyThere already => TypedResults.Problem(
                $"'{already.Slug}' is already in the stack.", statusCode: StatusCodes.Status409Conflict, title: "Already in the stack",
                extensions: new Dictionary<string, object?> { ["slug"] = already.Slug }),
            StartResult.FileHasErrors broken => TypedResults.Problem(
                "The stack file has errors; fix them and save it, then start the micromastery again.", statusCode: StatusCodes.Status409Conflict,
                title: "The stack file has errors",
                extensions: new Dictionary<string, object?> { ["errors"] = broken.Errors.Select(e => $"{broken.Path}:{e.Line}:{e.Column}: {e.Message}").ToList() }),
            StartResult.Invalid invalid => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [invalid.Field] = [invalid.Message] }),
            _ => throw new InvalidOperationException("unreachable"),
        };
    }

    private static async Task<Results<RedirectHttpResult, RazorComponentResult<CatalogPage>>> StartFromPageAsync(HttpContext context, StackStore stack, StackStarter starter, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!context.Request.HasFormContentType)
        {
            return RenderPage(context, stack, starter, new CatalogPage.Failure(null, null, null, "This form could not be read: reload the page and try again."), StatusCodes.Status400BadRequest);
        }

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return RenderPage(context, stack, starter, new CatalogPage.Failure(null, null, null, "This form has expired: reload the page and try again."), StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(ct);
        var staple = form["staple"].ToString();
        var parameters = form.Keys.Where(k => k.StartsWith(ParameterField, StringComparison.Ordinal))
            .ToDictionary(k => k[ParameterField.Length..], k => form[k].ToString(), StringComparer.Ordinal);
        var request = new StartRequest(staple, form["started"].ToString(), form["public"].ToString() is "true" or "on", parameters);
        return await starter.StartAsync(request, ct) switch
        {
            StartResult.Started started => TypedResults.Redirect($"/micromasteries/{started.Slug}?done=started"),
            StartResult.AlreadyThere already => TypedResults.Redirect($"/micromasteries/{already.Slug}?done=already"),
            StartResult.Invalid invalid => RenderPage(context, stack, starter, new CatalogPage.Failure(staple, invalid.Field, invalid.Message, null, request), StatusCodes.Status400BadRequest),
            StartResult.FileHasErrors => RenderPage(context, stack, starter,
                new CatalogPage.Failure(staple, null, null, "Nothing was started: the stack file has errors (below). Fix them and save it, then press Start again."), StatusCodes.Status409Conflict),
            _ => throw new InvalidOperationException("unreachable"),
        };
    }

    private static RazorComponentResult<CatalogPage> RenderPage(HttpContext context, StackStore stack, StackStarter starter, CatalogPage.Failure failure, int status) =>
        OwnerPages.Render<CatalogPage>(new Dictionary<string, object?>
        {
            [nameof(CatalogPage.Stack)] = stack.Current,
            [nameof(CatalogPage.Errors)] = stack.Errors,
            [nameof(CatalogPage.StackFile)] = stack.Path,
            [nameof(CatalogPage.Starter)] = starter,
            [nameof(CatalogPage.Token)] = OwnerPages.Token(context),
            [nameof(CatalogPage.Today)] = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), stack.Current.TimeZone).DateTime),
            [nameof(CatalogPage.Types)] = context.RequestServices.GetRequiredService<CheckTypeRegistry>(),
            [nameof(CatalogPage.Failed)] = failure,
        }, status);
}
