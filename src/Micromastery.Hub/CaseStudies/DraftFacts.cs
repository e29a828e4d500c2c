using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.CaseStudies;

/// <summary>
/// A fingerprint of what a case study says, in two parts: <c>story.detail</c>. The story is what the case study
/// claims — the verdict and its dates, the repeatability, evidence found prior or gone at its source; the detail adds
/// how much evidence there is and the latest. Two drafts with the same fingerprint tell the same story (the render
/// time aside). A changed story is worth a new draft on its own (<see cref="CaseStudyJob.RefreshAsync"/>); a changed
/// detail only marks the draft as behind the facts on the owner's page (more of the same evidence is not news).
/// </summary>
internal static class DraftFacts
{
    public static string Of(MicromasteryReport m)
    {
        // From the summary, not the evidence list: a report carries only its newest few items, and how many depends on
        // the reader (page, API, renderer); the summary is the same for all of them and changes whenever evidence does.
        var summary = m.Summary ?? MicromasterySummary.Empty;
        var story = new StringBuilder()
            .Append(m.Payoff).Append('|').Append(m.VerifiedAt?.ToUnixTimeSeconds()).Append('|').Append(m.Started.ToString("O", CultureInfo.InvariantCulture))
            .Append('|').Append(m.Repeatability?.State).Append('|').Append(m.Repeatability?.Contexts.Count)
            .Append('|').Append(summary.PriorCount).Append('|').Append(summary.GoneCount).Append('|').Append(summary.FirstAt?.ToUnixTimeMilliseconds())
            .ToString();
        var detail = story + "\n" + summary.EvidenceCount.ToString(CultureInfo.InvariantCulture) + "|" + summary.LatestAnyAt?.ToUnixTimeMilliseconds();
        return Hash(story) + "." + Hash(detail);
    }

    /// <summary>Whether two fingerprints tell the same story (false when either is unknown).</summary>
    public static bool SameStory(string? a, string? b) => a is not null && b is not null && StoryOf(a) == StoryOf(b);

    private static string StoryOf(string facts) => facts.Split('.')[0];

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
