using Micromastery.Hub.Practice;
using Micromastery.Hub.Stack;

namespace Micromastery.Hub.Tests.Practice;

/// <summary>What a practice session must be before anything is stored; the day it counts on is the stack's.</summary>
public sealed class PracticeInputTests
{
    private static readonly TimeZoneInfo Istanbul = TimeZoneInfo.FindSystemTimeZoneById("Europe/Istanbul");
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 10, 0, 0, TimeSpan.FromHours(3));
    private static readonly StackDefinition Stack = new(Istanbul,
        [new("cron", "Cron job", Layer.AiCode, new DateOnly(2026, 11, 25), Istanbul, null, null, [])]);

    private static (PracticeSession? Session, string? Field, string? Error) Validate(string? slug = "cron", int? minutes = 30, string? date = null, string? start = null, string? note = null, string? id = null) =>
        new PracticeInput(id, slug, date, start, minutes, note).Validate(Stack, Now);

    [Theory]
    [InlineData("2026-11-29T23:30", "2026-11-29")] // local time, read in Istanbul
    [InlineData("2026-11-29T20:30Z", "2026-11-29")] // 23:30 in Istanbul
    [InlineData("2026-11-29T21:30Z", "2026-11-30")] // 00:30 the next day in Istanbul
    [InlineData("2026-11-29T23:30+03:00", "2026-11-29")]
    public void Start_CountsOnItsDayInTheStacksTimeZone(string start, string day) =>
        Assert.Equal(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), Validate(start: start).Session!.Date);

    [Fact]
    public void TodaysDate_BeforeNoon_IsToday()
    {
        var (session, _, error) = Validate(date: "2026-11-30");

        Assert.Null(error);
        Assert.Equal(new DateOnly(2026, 11, 30), session!.Date);
        Assert.Equal(Now, session.StartedAt);
    }

    [Fact]
    public void WithoutDateOrStart_ItIsToday() => Assert.Equal(new DateOnly(2026, 11, 30), Validate().Session!.Date);

    [Theory]
    [InlineData("nope", 30, null, null, null, null, "slug")]
    [InlineData("CRON", 30, null, null, null, null, "slug")]
    [InlineData(null, 30, null, null, null, null, "slug")]
    [InlineData("cron", 0, null, null, null, null, "minutes")]
    [InlineData("cron", -5, null, null, null, null, "minutes")]
    [InlineData("cron", 1441, null, null, null, null, "minutes")]
    [InlineData("cron", null, null, null, null, null, "minutes")]
    [InlineData("cron", 30, "2026-12-01", null, null, null, "date")]
    [InlineData("cron", 30, "30/11/2026", null, null, null, "date")]
    [InlineData("cron", 30, null, "2026-11-30T11:00", null, null, "start")]
    [InlineData("cron", 30, null, "yesterday", null, null, "start")]
    [InlineData("cron", 30, null, null, null, "has space", "id")]
    public void BadInput_NamesTheField(string? slug, int? minutes, string? date, string? start, string? note, string? id, string field)
    {
        var (session, actualField, error) = Validate(slug, minutes, date, start, note, id);

        Assert.Null(session);
        Assert.Equal(field, actualField);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void NoteOverTheLimit_IsRefused_AndAtTheLimitAccepted()
    {
        Assert.Equal("note", Validate(note: new string('n', PracticeInput.MaxNoteLength + 1)).Field);
        Assert.NotNull(Validate(note: new string('n', PracticeInput.MaxNoteLength)).Session);
    }

    [Fact]
    public void AWholeDay_IsTheLongestSession()
    {
        Assert.NotNull(Validate(minutes: 1440).Session);
        Assert.NotNull(Validate(minutes: 1).Session);
    }
}
