namespace Micromastery.Hub.Stack;

/// <summary>The commented stack file written on first run.</summary>
public static class StarterStack
{
    public static string Text(DateOnly today) => $$"""
        # Micromastery Hub — your stack.
        # Each micromastery is a catalog staple (GET /api/catalog lists the ids) or your own.
        # The hub verifies each payoff against the real service and keeps the evidence.
        # Edit and save: the running hub reloads this file, and keeps the last good version
        # if an edit is invalid (the errors are logged and shown at GET /api/stack).

        # The time zone your days turn in (IANA name).
        timeZone: UTC

        micromasteries:
          # C) Money + infrastructure — payoff: a real test payment captured.
          # Point a Stripe webhook (test mode) at POST /webhooks/stripe and set Stripe:WebhookSecret.
          - staple: stripe-payment-link
            started: {{today:yyyy-MM-dd}}
            checks:
              - type: stripe.test-payment

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
        """;
}
