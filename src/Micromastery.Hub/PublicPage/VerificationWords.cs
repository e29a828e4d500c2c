using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.PublicPage;

/// <summary>
/// How a check verifies a payoff, said for a stranger. Each check type words itself (<see cref="ICheckType.HowVerified"/>,
/// <see cref="ICheckType.EvidenceTitle"/>); this only covers a type the running hub does not know.
/// </summary>
internal static class VerificationWords
{
    public static string HowVerified(CheckTypeRegistry types, CheckSpec check) =>
        types.Find(check.Type)?.HowVerified(check) ?? "a check run by the hub";

    /// <summary>What one piece of evidence is, for the evidence list (no ids).</summary>
    public static string What(CheckTypeRegistry types, string checkType) =>
        types.Find(checkType)?.EvidenceTitle ?? "Evidence";
}
