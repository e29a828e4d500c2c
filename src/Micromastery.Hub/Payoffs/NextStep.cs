using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Payoffs;

/// <summary>One concrete next step for a micromastery: its plan day, sharpened by the staple's anatomy.</summary>
internal static class NextStep
{
    public static string For(MicromasteryReport m, Anatomy? anatomy)
    {
        var missing = m.Checks.Where(c => c.State != CheckStates.Holds).ToList();
        var manual = missing.Any(c => c.Type == CheckTypes.Manual)
            ? $" Record manual proof with POST /api/micromasteries/{m.Slug}/evidence."
            : "";
        var missingText = missing.Count == 0 ? "" : $" Still open: {string.Join(", ", missing.Select(c => $"{c.Id} ({c.State})"))}.";

        if (m.Payoff == PayoffStates.Verified)
        {
            return $"Publish the case study (draft: GET /api/micromasteries/{m.Slug}/drafts/latest), then try a variation: {anatomy?.ExperimentalPath ?? SevenDayPlan.Days[6].Asks}";
        }

        return m.Day switch
        {
            < 1 => $"Starts on {m.Started:yyyy-MM-dd}. Block 90 notification-free minutes for day 1.",
            1 => $"Entry trick: {anatomy?.EntryTrick ?? SevenDayPlan.Days[0].Asks}",
            2 => $"Finish one whole example, simple but end to end. The payoff to aim for: {anatomy?.Payoff ?? "a demonstrable result"}",
            3 => $"Expect resistance: {anatomy?.RubOfReality ?? SevenDayPlan.Days[2].Asks} 3–4 hours of debugging is normal.",
            4 => $"Ask for help in public: {anatomy?.BackgroundSupport ?? SevenDayPlan.Days[3].Asks}",
            5 => $"Repeat it in another context: {anatomy?.Repeatability ?? SevenDayPlan.Days[4].Asks}",
            6 or 7 => $"Get the payoff: {(anatomy?.Payoff ?? "a demonstrable result.").TrimEnd('.')}.{missingText}{manual}",
            _ => $"The seven days are over and the payoff is not verified.{missingText}{manual} Finish it this week, or drop it: a micromastery is cheap to drop.",
        };
    }
}
