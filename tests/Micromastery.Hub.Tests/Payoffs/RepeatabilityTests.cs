using System.Text.Json.Nodes;
using Micromastery.Hub.CalCom;
using Micromastery.Hub.GitHub;
using Micromastery.Hub.LandingPage;
using Micromastery.Hub.Newsletter;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Stripe;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>Repeatability from the evidence alone, each check type naming the context of its proof.</summary>
public sealed class RepeatabilityTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private static readonly CheckTypeRegistry Types = new(
    [
        new ManualCheckType(), new StripeTestPaymentCheck(api: null!), new StripePaymentLinkCheck(api: null!, TimeProvider.System),
        new GitHubWorkflowRunCheck(api: null!, TimeProvider.System), new HttpPageCheck(fetcher: null!, TimeProvider.System),
    ]);

    private static Hub.Stack.Micromastery M(params string[] checkTypes) => new("m", "M", Layer.AiCode, new DateOnly(2026, 11, 20), TimeZoneInfo.Utc, null, null,
        [.. checkTypes.Select((type, i) => new CheckSpec($"c{i}", type, new Dictionary<string, string>(), null, i))]);

    private static Observation O(string kind, string id, int hours, string? url = null, params (string Key, string? Value)[] facts) =>
        new("s", kind, id, T0.AddHours(hours), url, facts.ToDictionary(f => f.Key, f => f.Value));

    [Fact]
    public void OneContext_IsNotYet_AndSaysWhatWouldCount()
    {
        var report = Repeatability.Of(M(GitHubWorkflowRunCheck.Name),
            [("c0", O(GitHubWorkflowRunCheck.Name, "1", 0, facts: ("repo", "me/report"))), ("c0", O(GitHubWorkflowRunCheck.Name, "2", 5, facts: ("repo", "me/report")))], Types);

        Assert.Equal(RepeatabilityStates.NotYet, report.State);
        Assert.Null(report.DemonstratedAt);
        Assert.Equal(["1", "2"], Assert.Single(report.Contexts).Evidence);
        Assert.Contains("repository", report.WhatCounts, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoRepositories_AcrossTwoChecks_AreDemonstrated_WhenTheSecondFirstShowed()
    {
        var report = Repeatability.Of(M(GitHubWorkflowRunCheck.Name, GitHubWorkflowRunCheck.Name),
        [
            ("c0", O(GitHubWorkflowRunCheck.Name, "1", 0, facts: ("repo", "me/report"))),
            ("c1", O(GitHubWorkflowRunCheck.Name, "2", 30, facts: ("repo", "me/other"))),
            ("c1", O(GitHubWorkflowRunCheck.Name, "3", 50, facts: ("repo", "me/other"))),
        ], Types);

        Assert.Equal(RepeatabilityStates.Demonstrated, report.State);
        Assert.Equal(T0.AddHours(30), report.DemonstratedAt);
        Assert.Equal(["me/report", "me/other"], report.Contexts.Select(c => c.Context));
    }

    [Theory]
    [InlineData(StripeTestPaymentCheck.Name, "payment link plink_1", "price 1900 usd")]
    [InlineData(HttpPageCheck.Name, "one.example", "two.example")]
    [InlineData(CheckTypes.Manual, "customer A", "customer B")]
    public void EachCheckType_NamesItsContext(string type, string first, string second)
    {
        Observation Of(string id, int hours, string context) => type switch
        {
            StripeTestPaymentCheck.Name => context.StartsWith("payment link", StringComparison.Ordinal)
                ? O(type, id, hours, facts: [("paymentLink", context["payment link ".Length..]), ("amount", "1900"), ("currency", "usd")])
                : O(type, id, hours, facts: [("amount", "1900"), ("currency", "usd")]),
            HttpPageCheck.Name => O(type, id, hours, url: $"https://{context}/"),
            _ => O(type, id, hours, facts: ("context", context)),
        };

        var report = Repeatability.Of(M(type), [("c0", Of("a", 0, first)), ("c0", Of("b", 1, second))], Types);

        Assert.Equal([first, second], report.Contexts.Select(c => c.Context));
        Assert.Equal(RepeatabilityStates.Demonstrated, report.State);
    }

    [Fact]
    public void ManualEvidenceWithoutAContext_DoesNotCount()
    {
        var report = Repeatability.Of(M(CheckTypes.Manual), [("c0", O(CheckTypes.Manual, "a", 0)), ("c0", O(CheckTypes.Manual, "b", 1))], Types);

        Assert.Empty(report.Contexts);
        Assert.Equal(RepeatabilityStates.NotYet, report.State);
    }

    [Fact]
    public void PriorEvidence_DoesNotCountTowardRepeatability()
    {
        var report = Repeatability.Of(M(GitHubWorkflowRunCheck.Name),
            [("c0", O(GitHubWorkflowRunCheck.Name, "old", -24 * 365, facts: ("repo", "me/old"))), ("c0", O(GitHubWorkflowRunCheck.Name, "new", 1, facts: ("repo", "me/new")))], Types);

        Assert.Equal(RepeatabilityStates.NotYet, report.State);
        Assert.Equal("me/new", Assert.Single(report.Contexts).Context);
    }

    [Fact]
    public void PriorEvidence_CountsWhenTheEntryOptsInWithSince()
    {
        var m = M(GitHubWorkflowRunCheck.Name) with { Since = new DateOnly(2025, 1, 1) };

        var report = Repeatability.Of(m,
            [("c0", O(GitHubWorkflowRunCheck.Name, "old", -24 * 365, facts: ("repo", "me/old"))), ("c0", O(GitHubWorkflowRunCheck.Name, "new", 1, facts: ("repo", "me/new")))], Types);

        Assert.Equal(RepeatabilityStates.Demonstrated, report.State);
    }
}
