using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.CaseStudies;

/// <summary>
/// A fingerprint of what a case study says: the verdict, its dates and its evidence (counts, prior, gone, first and latest).
/// Two drafts with the same fingerprint tell the same story (the render time aside); a different one means the
/// facts changed since — a payoff verified or disputed, evidence added, revoked or found prior.
/// </summary>
public static class DraftFacts
{
    public static string Of(MicromasteryReport m)
    {
        var text = new StringBuilder()
            .Append(m.Payoff).Append('|').Append(m.VerifiedAt?.ToUnixTimeSeconds()).Append('|').Append(m.Started.ToString("O", CultureInfo.InvariantCulture))
            .Append('|').Append(m.Repeatability?.State);
        // From the summary, not the evidence list: a report carries only its newest few items, and how many depends on
        // the reader (page, API, renderer); the summary is the same for all of them and changes whenever evidence does.
        var summary = m.Summary ?? MicromasterySummary.Empty;
        text.Append('|').Append(m.Repeatability?.Contexts.Count)
            .Append('\n').Append(summary.EvidenceCount).Append('|').Append(summary.PriorCount).Append('|').Append(summary.GoneCount)
            .Append('|').Append(summary.FirstAt?.ToUnixTimeMilliseconds()).Append('|').Append(summary.LatestAnyAt?.ToUnixTimeMilliseconds());

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
