using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.PublicPage;

/// <summary>
/// Builds <see cref="PublicStack"/> from the payoff report: the published micromasteries, filtered through the privacy rules.
/// The report reads summaries, so the stack, the badges and the feed cost the same however long the history;
/// one micromastery's page adds its newest evidence (<see cref="NewestEvidence"/>).
/// </summary>
internal sealed class PublicReader(PayoffReporter reporter, StackStore stack, PublicationStore publications, PublicCache cache, CheckTypeRegistry types)
{
    /// <summary>Evidence items a micromastery's public page lists: the newest.</summary>
    public const int NewestEvidence = 50;

    /// <summary>Every published micromastery, without evidence items: what the stack page, the badges and the feed show.
    /// Built once per change (<see cref="PublicCache"/>) unless the cache is off.</summary>
    public async Task<PublicStack> ReadAsync(CancellationToken ct) =>
        cache.Enabled ? await cache.ModelAsync(await cache.CurrentAsync(ct), c => BuildAsync(null, c)).WaitAsync(ct) : await BuildAsync(null, ct);

    /// <summary>The published micromasteries, with the newest evidence and the case study of <paramref name="slug"/>.</summary>
    public Task<PublicStack> ReadAsync(string? slug, CancellationToken ct) => slug is null ? ReadAsync(ct) : BuildAsync(slug, ct);

    private async Task<PublicStack> BuildAsync(string? slug, CancellationToken ct)
    {
        var current = stack.Current;
        var report = await reporter.BuildAsync(null, newest: 0, ct);
        var caseStudies = await publications.CaseStudiesAsync(ct);
        var marked = await publications.PublicEvidenceAsync(ct);
        var items = new List<PublicMicromastery>();
        foreach (var m in report.Micromasteries)
        {
            if (current.Find(m.Slug) is not { Public: true } definition)
            {
                continue;
            }

            if (m.Slug != slug)
            {
                items.Add(Build(m, definition, new Dictionary<(string, string), EvidenceFacts>(), marked, caseStudies.GetValueOrDefault(m.Slug), null, types));
                continue;
            }

            var newest = await reporter.EvidenceAsync(m.Slug, null, NewestEvidence, ct);
            var caseStudy = caseStudies.GetValueOrDefault(m.Slug);
            // A published case study may name any evidence it was written from: its links and ids are checked against all of it.
            var all = caseStudy is null ? null : await publications.EvidenceFactsAsync(m.Slug, ct);
            var facts = all ?? await publications.EvidenceFactsAsync(m.Slug, newest?.Items.Select(e => (e.Source, e.ExternalId)).ToList() ?? [], ct);
            items.Add(Build(m with { Evidence = newest?.Items ?? [] }, definition, facts, marked, caseStudy, all, types));
        }

        return new PublicStack(report.GeneratedAt, current.Profile, items);
    }

    private static PublicMicromastery Build(
        MicromasteryReport m, Stack.Micromastery definition, IReadOnlyDictionary<(string, string), EvidenceFacts> facts,
        IReadOnlySet<(string, string, string)> marked, PublishedCaseStudy? caseStudy, IReadOnlyDictionary<(string, string), EvidenceFacts>? all,
        CheckTypeRegistry types)
    {
        // Disclosure is decided here, as the page is shown, from each observation's own kind and facts — never from
        // which checks the stack file lists today (a check removed after publishing must not unmask its evidence).
        bool IsPublic(EvidenceFacts f) => EvidenceDisclosure.LinkIsPublic(types.Find(f.Kind), f.Facts, marked.Contains((m.Slug, f.Source, f.ExternalId)));
        string TypeOf(string checkId) => definition.Checks.FirstOrDefault(c => c.Id == checkId)?.Type ?? CheckTypes.Manual;

        var evidence = m.Evidence.Select(e => (Item: e, Public: facts.TryGetValue((e.Source, e.ExternalId), out var f)
            ? IsPublic(f)
            : EvidenceDisclosure.LinkIsPublic(types.Find(TypeOf(e.CheckId)), null, marked.Contains((m.Slug, e.Source, e.ExternalId))))).ToList();

        // Repeatability as the report decides it; a stranger sees how many contexts, never which.
        var contexts = m.Repeatability?.Contexts.Count ?? 0;
        var verifiedDay = definition.DaysToPayoff(m.VerifiedAt);
        var timeline = Enumerable.Range(1, 7).Select(day =>
        {
            var date = m.Started.AddDays(day - 1);
            var plan = SevenDayPlan.Days[day - 1];
            return new PublicDay(day, date, plan.Phase, plan.Asks, m.PlanDayEvidence?[day - 1] ?? 0, verifiedDay == day);
        }).ToList();

        var lastChecked = m.Checks.Select(c => c.LastAttemptAt ?? c.LastSuccessAt).Append(m.Summary?.LatestAnyAt).Max();
        // Off its own page a published case study is named, not rendered (the feed dates it; the stack page links it).
        var published = caseStudy is null ? null : new PublicCaseStudy(caseStudy.Version, caseStudy.PublishedAt, "");
        if (caseStudy is not null && all is not null)
        {
            // A context (repository, product, publication) is named in a case study only when all its evidence links are public.
            var hidden = all.Values.Where(f => !IsPublic(f)).ToList();
            var privateContexts = hidden.Select(f => types.Find(f.Kind)?.ContextOf(f.ToObservation())).OfType<string>().Distinct(StringComparer.Ordinal);
            published = new PublicCaseStudy(caseStudy.Version, caseStudy.PublishedAt, CaseStudyHtml.Render(caseStudy.Markdown,
                hidden.Select(f => f.Url).OfType<string>().ToList(),
                [.. all.Values.Select(f => f.ExternalId), .. privateContexts]));
        }
        else if (caseStudy is not null)
        {
            // The stack page and the feed say that a case study is up and when; only its own page renders it.
            published = new PublicCaseStudy(caseStudy.Version, caseStudy.PublishedAt, "");
        }

        return new PublicMicromastery(
            m.Slug, m.Name, m.Layer, m.LayerTitle, m.Payoff, m.Started, m.VerifiedAt, verifiedDay, contexts,
            m.Repeatability?.State == RepeatabilityStates.Demonstrated ? m.Repeatability.DemonstratedAt : null,
            definition.Checks.Select(c => VerificationWords.HowVerified(types, c)).Distinct().ToList(),
            lastChecked,
            evidence.Select(e => new PublicEvidence(e.Item.ObservedAt, VerificationWords.What(types, TypeOf(e.Item.CheckId)), e.Public ? Ui.WebLink.Http(e.Item.Url) : null, e.Item.Prior)).ToList(),
            timeline,
            published,
            m.EvidenceCount);
    }
}
