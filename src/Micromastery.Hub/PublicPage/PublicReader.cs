using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.PublicPage;

/// <summary>Builds <see cref="PublicStack"/> from the payoff report: the published micromasteries, filtered through the privacy rules.</summary>
public sealed class PublicReader(PayoffReporter reporter, StackStore stack, PublicationStore publications, CheckTypeRegistry types)
{
    public async Task<PublicStack> ReadAsync(CancellationToken ct)
    {
        var current = stack.Current;
        var report = await reporter.BuildAsync(ct);
        var caseStudies = await publications.CaseStudiesAsync(ct);
        var marked = await publications.PublicEvidenceAsync(ct);
        var items = new List<PublicMicromastery>();
        foreach (var m in report.Micromasteries)
        {
            if (current.Find(m.Slug) is { Public: true } definition)
            {
                var facts = await publications.EvidenceFactsAsync(m.Slug, ct);
                items.Add(Build(m, definition, facts, marked, caseStudies.GetValueOrDefault(m.Slug), types));
            }
        }

        return new PublicStack(report.GeneratedAt, current.Profile, items);
    }

    private static PublicMicromastery Build(
        MicromasteryReport m, Stack.Micromastery definition, IReadOnlyDictionary<(string, string), string> facts,
        IReadOnlySet<(string, string, string)> marked, PublishedCaseStudy? caseStudy, CheckTypeRegistry types)
    {
        var zone = definition.TimeZone;
        DateOnly LocalDay(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
        string TypeOf(EvidenceItem e) => definition.Checks.FirstOrDefault(c => c.Id == e.CheckId)?.Type ?? CheckTypes.Manual;

        var evidence = m.Evidence.Select(e =>
        {
            var json = facts.GetValueOrDefault((e.Source, e.ExternalId));
            return (Item: e, Public: EvidenceDisclosure.LinkIsPublic(types.Find(TypeOf(e)), json, marked.Contains((m.Slug, e.Source, e.ExternalId))));
        }).ToList();

        // Repeatability as the report decides it; a stranger sees how many contexts, never which.
        var contexts = m.Repeatability?.Contexts.Count ?? 0;
        var verifiedDay = m.VerifiedAt is { } v ? LocalDay(v).DayNumber - m.Started.DayNumber + 1 : (int?)null;
        var timeline = Enumerable.Range(1, 7).Select(day =>
        {
            var date = m.Started.AddDays(day - 1);
            var plan = SevenDayPlan.Days[day - 1];
            return new PublicDay(day, date, plan.Phase, plan.Asks, m.Evidence.Count(e => LocalDay(e.ObservedAt) == date), verifiedDay == day);
        }).ToList();

        var lastChecked = m.Checks.Select(c => c.LastAttemptAt ?? c.LastSuccessAt).Concat(m.Evidence.Select(e => (DateTimeOffset?)e.ObservedAt)).Max();
        // A context (repository, product, publication) is named in a case study only when all its evidence links are public.
        var hiddenIds = evidence.Where(e => !e.Public).Select(e => e.Item.ExternalId).ToHashSet(StringComparer.Ordinal);
        var privateContexts = (m.Repeatability?.Contexts ?? []).Where(c => c.Evidence.Any(hiddenIds.Contains)).Select(c => c.Context);
        var published = caseStudy is null ? null
            : new PublicCaseStudy(caseStudy.Version, caseStudy.PublishedAt, CaseStudyHtml.Render(caseStudy.Markdown,
                evidence.Where(e => !e.Public).Select(e => e.Item.Url).OfType<string>().ToList(),
                [.. evidence.Select(e => e.Item.ExternalId), .. privateContexts]));

        return new PublicMicromastery(
            m.Slug, m.Name, m.Layer, m.LayerTitle, m.Payoff, m.Started, m.VerifiedAt, verifiedDay, contexts,
            m.Repeatability?.State == RepeatabilityStates.Demonstrated ? m.Repeatability.DemonstratedAt : null,
            definition.Checks.Select(c => VerificationWords.HowVerified(types, c)).Distinct().ToList(),
            lastChecked,
            evidence.Select(e => new PublicEvidence(e.Item.ObservedAt, VerificationWords.What(types, TypeOf(e.Item)), e.Public ? e.Item.Url : null)).ToList(),
            timeline,
            published);
    }
}
