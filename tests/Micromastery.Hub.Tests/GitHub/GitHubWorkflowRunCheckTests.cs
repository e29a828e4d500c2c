using Micromastery.Hub.GitHub;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Micromastery.Hub.Tests.GitHub;

/// <summary>Which workflow runs satisfy a <c>github.workflow-run</c> check, evaluated directly.</summary>
public sealed class GitHubWorkflowRunCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private readonly GitHubWorkflowRunCheck _type = new(api: null!, new FakeTimeProvider(Now));

    [Theory]
    [InlineData("repo=octo-org/octo-repo", true)]
    [InlineData("repo=Octo-Org/Octo-Repo", true)]
    [InlineData("repo=octo-org/other", false)]
    [InlineData("workflow=nightly.yml", true)]
    [InlineData("workflow=.github/workflows/nightly.yml", true)]
    [InlineData("workflow=Nightly build", true)]
    [InlineData("workflow=ci.yml", false)]
    [InlineData("branch=main", true)]
    [InlineData("branch=develop", false)]
    [InlineData("event=schedule", true)]
    [InlineData("event=push", false)]
    [InlineData("within=2d", true)]
    [InlineData("within=12h", false)]
    public void Satisfies_FollowsItsParameters(string parameter, bool expected)
    {
        var parameters = parameter.StartsWith("repo=", StringComparison.Ordinal) ? [parameter] : new[] { "repo=octo-org/octo-repo", parameter };
        var run = Run(conclusion: "success", completedAt: Now.AddDays(-1));

        Assert.Equal(expected, _type.Satisfies(Checks.Spec(GitHubWorkflowRunCheck.Name, parameters), run));
    }

    [Theory]
    [InlineData("failure")]
    [InlineData("cancelled")]
    [InlineData(null)]
    public void Satisfies_NotByARunThatDidNotSucceed(string? conclusion) =>
        Assert.False(_type.Satisfies(Checks.Spec(GitHubWorkflowRunCheck.Name, "repo=octo-org/octo-repo"), Run(conclusion, Now)));

    [Theory]
    [InlineData("30m", 30)]
    [InlineData("12h", 12 * 60)]
    [InlineData("7d", 7 * 24 * 60)]
    [InlineData("2w", 14 * 24 * 60)]
    [InlineData("0d", null)]
    [InlineData("d", null)]
    [InlineData("7y", null)]
    [InlineData("-1d", null)]
    public void ParseWindow_ReadsANumberAndAUnit(string value, int? minutes) =>
        Assert.Equal(minutes is { } m ? TimeSpan.FromMinutes(m) : null, GitHubWorkflowRunCheck.ParseWindow(value));

    [Theory]
    [InlineData("octo-org/octo-repo", true)]
    [InlineData("octo_org/repo.js", true)]
    [InlineData("octo-org", false)]
    [InlineData("octo-org/", false)]
    [InlineData("a/b/c", false)]
    [InlineData("octo org/repo", false)]
    public void SplitRepo_AcceptsOwnerSlashName(string value, bool valid) =>
        Assert.Equal(valid, GitHubWorkflowRunCheck.SplitRepo(value) is not null);

    private static Micromastery.Hub.Payoffs.Observation Run(string? conclusion, DateTimeOffset completedAt) =>
        WorkflowRunObservation.Create(42, "Octo-Org/Octo-Repo", ".github/workflows/nightly.yml@main", "Nightly build", "main", "schedule", conclusion, completedAt, null);
}
