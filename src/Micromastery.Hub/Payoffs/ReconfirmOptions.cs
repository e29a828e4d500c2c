using System.ComponentModel.DataAnnotations;

namespace Micromastery.Hub.Payoffs;

/// <summary>How often the hub asks each source again about the evidence it gave (docs/checks.md, re-confirmation).</summary>
internal sealed class ReconfirmOptions : IValidatableObject
{
    public const string Section = "Reconfirmation";

    /// <summary>
    /// Cron, in the stack's time zone, for micromasteries whose stack entry gives no <c>reconfirm</c>:
    /// relaxed on purpose (weekly, Mondays 06:00), since each run spends one API call per piece of evidence.
    /// </summary>
    [Required]
    public string Schedule { get; set; } = "0 6 * * 1";

    /// <summary>
    /// Most pieces of evidence asked about per micromastery per run, those asked longest ago first: a
    /// year of practice must not spend a rate limit in one go; the next runs ask about the rest.
    /// </summary>
    [Range(1, 1000)]
    public int MaxPerRun { get; set; } = 25;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Stack.Schedule.Problem(Schedule) is { } problem)
        {
            yield return new ValidationResult($"{Section}:{nameof(Schedule)}: {problem}", [nameof(Schedule)]);
        }
    }
}
