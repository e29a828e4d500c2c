using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.CaseStudies;

/// <summary>
/// A fingerprint of what a case study says: the verdict, its dates and each piece of evidence with its state.
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
        foreach (var e in m.Evidence.OrderBy(e => e.Source, StringComparer.Ordinal).ThenBy(e => e.ExternalId, StringComparer.Ordinal).ThenBy(e => e.CheckId, StringComparer.Ordinal))
        {
            text.Append('\n').Append(e.CheckId).Append('|').Append(e.Source).Append('|').Append(e.ExternalId).Append('|')
                .Append(e.ObservedAt.ToUnixTimeSeconds()).Append('|').Append(e.Prior).Append('|').Append(e.Recheck);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
