namespace Micromastery.Hub.Stack;

/// <summary>The check type names the stack file and the catalog use.</summary>
public static class CheckTypes
{
    public const string Manual = "manual";
    public const string StripeTestPayment = "stripe.test-payment";
    public const string StripePaymentLink = "stripe.payment-link";
    public const string GitHubWorkflowRun = "github.workflow-run";
    public const string NewsletterPublished = "newsletter.published";
    public const string NewsletterSubscribers = "newsletter.subscribers";
    public const string CalComEventTypes = "calcom.event-types";
    public const string CalComBooking = "calcom.booking";
    public const string HttpPage = "http.page";
}
