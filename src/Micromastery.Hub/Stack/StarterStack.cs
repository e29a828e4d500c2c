namespace Micromastery.Hub.Stack;

/// <summary>
/// The commented stack file written on first run: no micromastery yet (the catalog page starts the first
/// one and appends it here), and examples to uncomment for those who prefer the file.
/// </summary>
internal static class StarterStack
{
    public static string Text(DateOnly today) => $$"""
        # Micromastery Hub — your stack.
        # Start a micromastery from the catalog (http://localhost:5080/catalog, or
        # POST /api/micromasteries {"staple": "stripe-payment-link"}): it is appended below, and
        # this file stays yours — edit and save it, the running hub reloads it and keeps the last
        # good version if an edit is invalid (the errors are shown on the stack page).

        # The time zone your days turn in (IANA name).
        timeZone: UTC

        micromasteries: []

        # Examples to copy under 'micromasteries:' (then remove the '[]').
        #
        # C) Money + infrastructure — verified by a Stripe test payment (webhook or API key):
        # - staple: stripe-payment-link
        #   started: {{today:yyyy-MM-dd}}
        #   checks:
        #     - type: stripe.test-payment
        #
        # A physical micromastery: record evidence by hand (a link or a note).
        # - slug: perfect-omelette
        #   name: A perfect omelette
        #   layer: physical
        #   started: {{today:yyyy-MM-dd}}
        #   checks:
        #     - type: manual
        #
        # A) AI + code — payoff: a scheduled GitHub Actions run that succeeded.
        # - staple: github-actions-cron
        #   started: {{today:yyyy-MM-dd}}
        #   checks:
        #     - type: github.workflow-run
        #       repo: you/weekly-report
        #       event: schedule

        """;
}
