using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Micromastery.Hub.Ui;

/// <summary>A form's antiforgery field, rendered into every owner form.</summary>
public sealed record FormToken(string Field, string Value)
{
    public static FormToken None { get; } = new("__RequestVerificationToken", "");
}

/// <summary>Renders the owner's pages: static server rendering, antiforgery token issued, status set.</summary>
internal static class OwnerPages
{
    public static FormToken Token(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return new FormToken(tokens.FormFieldName, tokens.RequestToken ?? "");
    }

    public static RazorComponentResult<TPage> Render<TPage>(object parameters, int status = StatusCodes.Status200OK) where TPage : IComponent =>
        new(parameters) { StatusCode = status };

    public static RazorComponentResult<OwnerNotFound> NotFound(string what) =>
        new(new { What = what }) { StatusCode = StatusCodes.Status404NotFound };

    /// <summary>A page's form that cannot be read at all (no page to show it on): the words as text, 400, for the browser to show.</summary>
    public static ContentHttpResult Refused(string why) =>
        TypedResults.Text(why, "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);

    /// <summary>How evidence from before a micromastery's practice window is labelled wherever evidence is listed, owner and public.</summary>
    public const string PriorLabel = "before the practice window — does not count";

    /// <summary>"2026-11-30 07:15" in the stack's time zone: what the owner reads, not UTC.</summary>
    public static string When(DateTimeOffset? at, TimeZoneInfo zone) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, zone).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "never";
}
