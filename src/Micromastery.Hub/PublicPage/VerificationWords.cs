using System.Globalization;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.PublicPage;

/// <summary>How a check verifies a payoff, said for a stranger; only what the check asserts, never a name, id or count it saw.</summary>
public static class VerificationWords
{
    public static string HowVerified(CheckSpec check) => check.Type switch
    {
        CheckTypes.StripeTestPayment => "a test-mode payment captured, reported by Stripe",
        CheckTypes.StripePaymentLink => "a Stripe Payment Link that exists, reported by Stripe",
        CheckTypes.GitHubWorkflowRun => check.Get("event") == "schedule"
            ? "a scheduled GitHub Actions run that succeeded, reported by GitHub"
            : "a GitHub Actions run that succeeded, reported by GitHub",
        CheckTypes.NewsletterPublished => check.Get("feed") is not null
            ? "a newsletter issue published, seen in the newsletter's public feed"
            : "a newsletter issue published, reported by Beehiiv",
        CheckTypes.NewsletterSubscribers => int.TryParse(check.Get("min"), CultureInfo.InvariantCulture, out var min)
            ? $"a newsletter with at least {min.ToString(CultureInfo.InvariantCulture)} active {(min == 1 ? "subscriber" : "subscribers")}, reported by Beehiiv"
            : "a newsletter with active subscribers, reported by Beehiiv",
        CheckTypes.CalComEventTypes => "paid and free meeting types ready to book, reported by Cal.com",
        CheckTypes.CalComBooking => "a meeting booked by someone, reported by Cal.com",
        CheckTypes.HttpPage => check.Get("text") is not null
            ? "a web page that loads over valid HTTPS and shows the expected text, fetched by the hub"
            : "a web page that loads over valid HTTPS, fetched by the hub",
        CheckTypes.Manual => "proof the owner recorded by hand",
        _ => "a check run by the hub",
    };

    /// <summary>What one piece of evidence is, for the evidence list (no ids).</summary>
    public static string What(string checkType) => checkType switch
    {
        CheckTypes.StripeTestPayment => "Test payment captured (Stripe)",
        CheckTypes.StripePaymentLink => "Payment Link found (Stripe)",
        CheckTypes.GitHubWorkflowRun => "Workflow run succeeded (GitHub Actions)",
        CheckTypes.NewsletterPublished => "Newsletter issue published",
        CheckTypes.NewsletterSubscribers => "Subscriber goal reached (Beehiiv)",
        CheckTypes.CalComEventTypes => "Meeting types ready (Cal.com)",
        CheckTypes.CalComBooking => "Meeting booked (Cal.com)",
        CheckTypes.HttpPage => "Page live over HTTPS",
        CheckTypes.Manual => "Recorded by the owner",
        _ => "Evidence",
    };
}
