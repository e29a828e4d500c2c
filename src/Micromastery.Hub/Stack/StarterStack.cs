namespace Micromastery.Hub.Stack;

/// <summary>The commented stack file written on first run: the Stripe staple, and examples to uncomment.</summary>
public static class StarterStack
{
    private static readonly string[] Header =
    [
        "Micromastery Hub — your stack.",
        "Each micromastery is a catalog staple (GET /api/catalog lists the ids) or your own.",
        "The hub verifies each payoff against the real service and keeps the evidence.",
        "Edit and save: the running hub reloads this file, and keeps the last good version",
        "if an edit is invalid (the errors are logged and shown at GET /api/stack).",
        "",
        "The first entry is verified by a Stripe webhook (test mode): point it at POST /webhooks/stripe",
        "and set Stripe:WebhookSecret.",
    ];

    public static string Text(DateOnly today) => StackFileWriter.Write(
        [new StackFileWriter.Entry(Catalog.Find("stripe-payment-link")!, [SuggestedCheck.Of("stripe.test-payment")])],
        today,
        Header,
        $$"""
          # A physical micromastery: record evidence by hand (a link or a note).
          # - slug: perfect-omelette
          #   name: A perfect omelette
          #   layer: physical
          #   started: {{today:yyyy-MM-dd}}
          #   checks:
          #     - type: manual

          # A) AI + code — payoff: a scheduled GitHub Actions run that succeeded.
          # - staple: github-actions-cron
          #   started: {{today:yyyy-MM-dd}}
          #   checks:
          #     - type: github.workflow-run
          #       repo: you/weekly-report
          #       event: schedule

        """);
}
