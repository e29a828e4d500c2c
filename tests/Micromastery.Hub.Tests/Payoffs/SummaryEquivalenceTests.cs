using System.Globalization;
using Dapper;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Practice;
using Micromastery.Hub.Stack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Tests.Stripe;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>
/// The summaries the ledger keeps must always equal a recomputation from the evidence: random (seeded) sequences of
/// webhooks, polls, re-confirmations, refunds, manual evidence, practice and stack edits, compared after every step.
/// On the hub's services without a host: each step calls what its endpoint or job calls (deliveries are mapped and
/// recorded as the inbox does), and the payoffs' reaction to a stack change is subscribed as at start-up.
/// </summary>
public abstract class SummaryEquivalenceTests(StoreFixture store) : IAsyncLifetime
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private static readonly long[] Amounts = [100, 1900, 4900];
    private static readonly string[] Contexts = ["family dinner", "café brunch shift", "", "market stall"];
    private static readonly string[] Answers = [RecheckStates.Confirmed, RecheckStates.Gone, RecheckStates.Changed, RecheckStates.Unknown, RecheckStates.NotRecheckable];

    private HubServices hub = null!;

    public async Task InitializeAsync()
    {
        hub = await store.CreateAsync(Stack(new Shape(Today.AddDays(-10), null, true, true, Today.AddDays(-5), true)));
        // The hub's one reaction to a stack edit (recompute the summaries it touched, re-evaluate), as a started hub has it.
        await hub.Services.GetServices<IHostedService>().OfType<PayoffJobs>().Single().StartAsync(CancellationToken.None);
        // The rebuild that start enqueued, as Hangfire would run it: every micromastery gets its summary.
        await hub.Service<ReevaluateJob>().RebuildAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>What a stack edit may change: start dates, the opt-in since, a check added or removed, a micromastery removed.</summary>
    private sealed record Shape(DateOnly PayStarted, DateOnly? PaySince, bool PayHasManual, bool BothPresent, DateOnly NotesStarted, bool NotesHasManual);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Stack(Shape s) => $"""
        timeZone: Europe/Istanbul
        micromasteries:
          - staple: stripe-payment-link
            started: {Day(s.PayStarted)}
        {(s.PaySince is { } since ? $"    since: {Day(since)}" : "")}
            checks:
              - type: stripe.test-payment
        {(s.PayHasManual ? "      - type: manual" : "")}
        {(s.BothPresent ? BothEntry : "")}
          - slug: notes
            name: Notes
            layer: physical
            started: {Day(s.NotesStarted)}
            timeZone: America/New_York
            checks:
        {(s.NotesHasManual ? "      - type: manual" : "      - type: stripe.test-payment")}
        """;

    private const string BothEntry = """
          - slug: both
            name: Both
            layer: C
            started: 2026-01-01
            checks:
              - type: stripe.test-payment
                id: pay
              - type: manual
        """;

    [Theory]
    [InlineData(20261204)]
    [InlineData(7)]
    public async Task RandomSequences_SummariesEqualARecomputation_AfterEveryStep(int seed)
    {
        var random = new Random(seed);
        var shape = new Shape(Today.AddDays(-10), null, true, true, Today.AddDays(-5), true);
        var payments = new List<string>();

        for (var step = 0; step < 40; step++)
        {
            var action = random.Next(8);
            switch (action)
            {
                case 0 or 1:
                {
                    // A payment by webhook, inside the window or before it (prior evidence).
                    var payment = StripeEvents.NewId("pi_");
                    payments.Add(payment);
                    var created = DateTimeOffset.UtcNow.AddDays(-random.Next(0, 40)).AddMinutes(-random.Next(0, 600));
                    await PostStripeAsync(StripeEvents.PaymentIntentSucceeded(paymentIntentId: payment, amount: Amounts[random.Next(Amounts.Length)], created: created));
                    break;
                }

                case 2:
                {
                    // A poll: the ledger records what the service listed, known payments again and a new one.
                    var observations = await KnownObservationsAsync(random, 3);
                    if (observations.Count > 0)
                    {
                        var seen = observations[0];
                        var id = StripeEvents.NewId("pi_");
                        payments.Add(id);
                        var fresh = seen with { ExternalId = id, ObservedAt = DateTimeOffset.UtcNow.AddDays(-random.Next(0, 30)) };
                        await using var batch = await hub.Service<PayoffLedger>().BeginAsync(CancellationToken.None);
                        await batch.RecordAsync([.. observations, fresh], CancellationToken.None);
                        await batch.CompleteAsync(CancellationToken.None);
                    }

                    break;
                }

                case 3:
                    if (payments.Count > 0)
                    {
                        // A refund by webhook: full (gone) or partial (changed).
                        var payment = payments[random.Next(payments.Count)];
                        await PostStripeAsync(StripeEvents.ChargeRefunded(payment, amountRefunded: random.Next(2) == 0 ? 100_000 : 1));
                    }

                    break;

                case 4:
                {
                    // A re-confirmation answer about a known object, as the re-confirmation job writes it.
                    var observations = await KnownObservationsAsync(random, 1);
                    if (observations.Count > 0)
                    {
                        var o = observations[0];
                        await using var batch = await hub.Service<PayoffLedger>().BeginAsync(CancellationToken.None);
                        await batch.RecheckAsync([new Recheck(o.Source, o.Kind, o.ExternalId, Answers[random.Next(Answers.Length)], "re-checked")], CancellationToken.None);
                        await batch.CompleteAsync(CancellationToken.None);
                    }

                    break;
                }

                case 5:
                {
                    var slug = new[] { "notes", "both", "stripe-payment-link" }[random.Next(3)];
                    await hub.Service<ManualEvidenceRecorder>().RecordAsync(slug,
                        new ManualEvidence(null, "https://example.com/proof", "done", Contexts[random.Next(Contexts.Length)]), CancellationToken.None);
                    break;
                }

                case 6:
                {
                    var slug = new[] { "notes", "stripe-payment-link" }[random.Next(2)];
                    var logged = await hub.Service<PracticeLog>().AddAsync(
                        new PracticeInput(null, slug, Day(Today.AddDays(-random.Next(0, 12))), null, random.Next(10, 120), null), CancellationToken.None);
                    Assert.True(logged.Session is not null, logged.Error);
                    break;
                }

                default:
                {
                    shape = random.Next(6) switch
                    {
                        0 => shape with { PayStarted = Today.AddDays(-random.Next(0, 30)) },
                        1 => shape with { PaySince = random.Next(2) == 0 ? null : Today.AddDays(-random.Next(30, 60)) },
                        2 => shape with { PayHasManual = !shape.PayHasManual },
                        3 => shape with { BothPresent = !shape.BothPresent },
                        4 => shape with { NotesStarted = Today.AddDays(-random.Next(0, 20)) },
                        _ => shape with { NotesHasManual = !shape.NotesHasManual },
                    };
                    await EditStackAsync(Stack(shape));
                    break;
                }
            }

            // A stack edit recomputes on the stack's change event; everything else is written in the ledger's transaction.
            await Eventually.ReturnsAsync(async () => string.Join("; ", await DifferencesAsync()), d => d.Length == 0, $"summaries equal to a recomputation after step {step} (action {action})");
        }
    }

    [Fact]
    public async Task StackEdit_RecomputesOnlyTheMicromasteriesItTouched()
    {
        await PostStripeAsync(StripeEvents.PaymentIntentSucceeded(amount: 1900));
        await hub.Service<ManualEvidenceRecorder>().RecordAsync("notes", new ManualEvidence(null, null, "done", "family dinner"), CancellationToken.None);
        var database = hub.Service<HubDatabase>();
        await using (var connection = await database.OpenAsync())
        {
            // A mark on both summaries: a recomputation would erase it.
            await connection.ExecuteAsync("UPDATE micromastery_summaries SET evidence_count = 999 WHERE slug IN ('notes', 'both')");
        }

        await EditStackAsync(Stack(new Shape(Today.AddDays(-10), null, true, true, Today.AddDays(-3), true)));

        await Eventually.ReturnsAsync(() => CountAsync("notes"), c => c == 1, "the edited micromastery recomputed");
        Assert.Equal(999, await CountAsync("both"));
    }

    private async Task<long> CountAsync(string slug)
    {
        await using var connection = await hub.Service<HubDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT evidence_count FROM micromastery_summaries WHERE slug = @slug", new { slug });
    }

    private Task PostStripeAsync(string body) =>
        hub.ApplyWebhookAsync("stripe", System.Text.Json.Nodes.JsonNode.Parse(body)!["type"]!.GetValue<string>(), body);

    /// <summary>An edit of the stack file, then the re-evaluation job the change enqueued, as Hangfire would run it.</summary>
    private async Task EditStackAsync(string yaml)
    {
        hub.LoadStack(yaml);
        await hub.Service<ReevaluateJob>().RunAsync(CancellationToken.None);
    }

    private async Task<List<Observation>> KnownObservationsAsync(Random random, int count)
    {
        await using var connection = await hub.Service<HubDatabase>().OpenAsync();
        var rows = (await connection.QueryAsync<(string Source, string Kind, string ExternalId, long ObservedAt, string? Url, string Facts)>(
            "SELECT source, kind, external_id, observed_at, url, facts FROM observations WHERE source = 'stripe' ORDER BY id")).ToList();
        return [.. Enumerable.Range(0, Math.Min(count, rows.Count)).Select(_ => rows[random.Next(rows.Count)])
            .Select(r => new Observation(r.Source, r.Kind, r.ExternalId, DateTimeOffset.FromUnixTimeMilliseconds(r.ObservedAt), r.Url,
                System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string?>>(r.Facts)!))];
    }

    /// <summary>Every way the stored summaries differ from a recomputation; empty when they agree.</summary>
    private async Task<List<string>> DifferencesAsync()
    {
        var summaries = hub.Service<EvidenceSummaries>();
        var stack = hub.Service<StackStore>().Current;
        await using var connection = await hub.Service<HubDatabase>().OpenAsync();
        var differences = new List<string>();
        foreach (var m in stack.Micromasteries)
        {
            var stored = (await EvidenceSummaries.ReadAsync(connection, null, m.Slug)).ToString();
            var computed = (await summaries.ComputeAsync(connection, null, m)).ToString();
            if (stored != computed)
            {
                differences.Add($"{m.Slug}: stored {stored}, recomputed {computed}");
            }
        }

        var orphans = await connection.QueryAsync<string>("SELECT slug FROM micromastery_summaries");
        differences.AddRange(orphans.Where(s => stack.Find(s) is null).Select(s => $"{s}: summary of a micromastery no longer in the stack"));

        var practice = await connection.QueryAsync<string>(
            "SELECT COALESCE(d.slug, s.slug) || ' ' || COALESCE(d.local_date, s.local_date) FROM practice_days d FULL OUTER JOIN " +
            "(SELECT slug, local_date, SUM(minutes) AS minutes, SUM(CASE WHEN minutes >= 90 THEN 1 ELSE 0 END) AS blocks, count(*) AS sessions FROM practice_sessions GROUP BY slug, local_date) s " +
            "ON s.slug = d.slug AND s.local_date = d.local_date WHERE d.slug IS NULL OR s.slug IS NULL OR d.minutes <> s.minutes OR d.blocks <> s.blocks OR d.sessions <> s.sessions");
        differences.AddRange(practice.Select(p => $"practice day {p} differs from its sessions"));
        var totals = await connection.QueryAsync<string>(
            "SELECT COALESCE(t.slug, s.slug) FROM practice_totals t FULL OUTER JOIN (SELECT slug, SUM(minutes) AS minutes, MAX(local_date) AS last_date FROM practice_sessions GROUP BY slug) s " +
            "ON s.slug = t.slug WHERE t.slug IS NULL OR s.slug IS NULL OR t.minutes <> s.minutes OR t.last_date <> s.last_date");
        differences.AddRange(totals.Select(p => $"practice total of {p} differs from its sessions"));
        return differences;
    }
}

public sealed class SummaryEquivalenceTests_Sqlite(SqliteStore store) : SummaryEquivalenceTests(store), IClassFixture<SqliteStore>;

[Trait(Needs.Key, Needs.Postgres)]
public sealed class SummaryEquivalenceTests_Postgres(PostgresStore store) : SummaryEquivalenceTests(store), IClassFixture<PostgresStore>;
