using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Stripe;
using Microsoft.Extensions.Time.Testing;

namespace Micromastery.Hub.Tests.Stack;

/// <summary>Hostile and careless stack files: each is an error with a position, never an exception or a crash.</summary>
public sealed class StackFileLimitTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    private readonly StackFileParser _parser = new(new CheckTypeRegistry([new ManualCheckType(), new StripeTestPaymentCheck(api: null!)]), Clock);

    private const string CheckHead = "micromasteries:\n  - staple: stripe-payment-link\n    started: 2026-11-20\n    checks:\n      - type: stripe.test-payment\n";

    /// <summary>The three files that ended the process (stack overflow, invalid cast), and their kin.</summary>
    public static TheoryData<string, int, string> CrashingFiles => new()
    {
        { CheckHead + "        ? &a [*a]\n        : 1\n", 6, "anchors ('&a') are not supported" },
        { CheckHead + "        ? [a, b]\n        : 1\n", 6, "a key must be a plain value" },
        { CheckHead + "        {x: 1}: y\n", 6, "a key must be a plain value" },
        { "micromasteries: " + new string('[', 100_000), 1, "more than 32 levels deep" },
        { "micromasteries: " + new string('{', 100_000), 1, "a key must be a plain value" },
        { "micromasteries: " + string.Concat(Enumerable.Repeat("{a: ", 100_000)), 1, "more than 32 levels deep" },
        { "micromasteries:\n" + string.Concat(Enumerable.Repeat("- ", 100_000)) + "x\n", 2, "more than 32 levels deep" },
        { "timeZone: &zone UTC\nother: *zone\n", 1, "anchors ('&zone') are not supported" },
        { "micromasteries: *nothing\n", 1, "not supported" },
        { "timeZone: UTC\n---\ntimeZone: UTC\n", 2, "one YAML document" },
    };

    [Theory]
    [MemberData(nameof(CrashingFiles))]
    public void HostileShape_IsAnErrorAtItsLine(string yaml, int line, string message)
    {
        var result = _parser.Parse(yaml);

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal(line, error.Line);
        Assert.True(error.Column > 0);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NestingWithinTheLimit_ReachesTheOrdinaryChecks()
    {
        var result = _parser.Parse("micromasteries: " + new string('[', 20) + new string(']', 20) + "\n");

        Assert.Contains(result.Errors, e => e.Message.Contains("each micromastery must be a mapping", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("!!binary gIGC\n")]
    [InlineData("? |\n  block key\n: value\n")]
    [InlineData("micromasteries: !!python/object:os.system [ls]\n")]
    [InlineData("\"unterminated\n")]
    [InlineData("micromasteries:\n  - staple: stripe-payment-link\n    staple: stripe-payment-link\n    started: 2026-11-20\n")]
    [InlineData("%YAML 9.9\n---\nx: 1\n")]
    [InlineData("micromasteries:\n  - {staple: stripe-payment-link, started: 2026-11-20, checks: [{type: manual, ? x}]}\n")]
    [InlineData("\t\u0000\uFFFE")]
    public void OddInput_IsReportedNotThrown(string yaml)
    {
        var result = _parser.Parse(yaml);

        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void FileOverTheSizeCap_IsRefusedBeforeParsing()
    {
        var twelveMegabytes = "timeZone: UTC\n" + string.Concat(Enumerable.Repeat("# padding " + new string('x', 100) + "\n", 12 * 1024 * 1024 / 111));

        var error = Assert.Single(_parser.Parse(twelveMegabytes).Errors);

        Assert.Equal((1, 1), (error.Line, error.Column));
        Assert.Contains("larger than 1024 KiB", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"@every_second\"")]
    [InlineData("'@every_second'")]
    public void ScheduleFinerThanAMinute_IsRefusedWithTheReason(string schedule)
    {
        var error = Assert.Single(_parser.Parse(CheckHead + $"        schedule: {schedule}\n").Errors);

        Assert.Equal((6, 19), (error.Line, error.Column));
        Assert.Contains("more often than once a minute", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("* * * * *")]
    [InlineData("@every_minute")]
    [InlineData("@hourly")]
    [InlineData("@daily")]
    [InlineData("@weekly")]
    [InlineData("*/30 * * * *")]
    public void ScheduleOfAMinuteOrCoarser_IsAccepted(string schedule)
    {
        var result = _parser.Parse(CheckHead + $"        schedule: \"{schedule}\"\n");

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void SecondsField_IsRefusedAsNotFiveFields()
    {
        var error = Assert.Single(_parser.Parse(CheckHead + "        schedule: \"* * * * * *\"\n").Errors);

        Assert.Contains("cron expression with 5 fields", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9999-12-31", "more than a year ahead")]
    [InlineData("2028-01-01", "more than a year ahead")]
    [InlineData("0001-01-01", "the year 2000 or later")]
    public void StartDateOutOfBounds_IsAnErrorNamingItsLine(string started, string message)
    {
        var error = Assert.Single(_parser.Parse($"micromasteries:\n  - staple: stripe-payment-link\n    started: {started}\n").Errors);

        Assert.Equal((3, 14), (error.Line, error.Column));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckIdLongerThan80_IsRefused()
    {
        var error = Assert.Single(_parser.Parse(CheckHead + $"        id: {new string('x', 81)}\n").Errors);

        Assert.Equal((6, 13), (error.Line, error.Column));
        Assert.Contains("check 'id' is 81 characters; at most 80", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NameLongerThan200_IsRefused()
    {
        var error = Assert.Single(_parser.Parse($"micromasteries:\n  - slug: omelette\n    name: {new string('n', 201)}\n    layer: physical\n    started: 2026-11-20\n    checks:\n      - type: manual\n").Errors);

        Assert.Equal((3, 11), (error.Line, error.Column));
        Assert.Contains("'name' is 201 characters; at most 200", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StartDateWithinAYear_IsAccepted()
    {
        var result = _parser.Parse("micromasteries:\n  - staple: stripe-payment-link\n    started: 2027-11-30\n");

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }
}
