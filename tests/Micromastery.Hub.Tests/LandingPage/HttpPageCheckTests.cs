using System.Globalization;
using Micromastery.Hub.LandingPage;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Tests.Infrastructure;

namespace Micromastery.Hub.Tests.LandingPage;

/// <summary>Which page visits satisfy an <c>http.page</c> check, evaluated directly.</summary>
public sealed class HttpPageCheckTests
{
    private const string Url = "https://landing.example.com/";
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private static readonly HttpPageCheck Type = new(fetcher: null!, TimeProvider.System);

    [Theory]
    [InlineData(Url, "Buy now", 30, "", true)]
    [InlineData(Url, "Buy now", 14, "", true)]
    [InlineData(Url, "Buy now", 13, "", false)]
    [InlineData(Url, "Buy now", 5, "minCertDays=3", true)]
    [InlineData(Url, "Buy now", 5, "minCertDays=7", false)]
    [InlineData("https://other.example.com/", "Buy now", 30, "", false)]
    [InlineData(Url, "Sold out", 30, "", false)]
    public void Satisfies_TheSamePageAndTextWithACertificateValidLongEnough(string url, string text, int certDaysLeft, string extra, bool expected)
    {
        var parameters = new List<string> { $"url={Url}", "text=Buy now" };
        if (extra.Length > 0)
        {
            parameters.Add(extra);
        }

        var visit = new Observation(HttpPageCheck.Source, HttpPageCheck.Name, url, Now, url, new Dictionary<string, string?>
        {
            ["url"] = url,
            ["text"] = text,
            ["certNotAfter"] = Now.AddDays(certDaysLeft).ToString("O", CultureInfo.InvariantCulture),
        });

        Assert.Equal(expected, Type.Satisfies(Checks.Spec(HttpPageCheck.Name, [.. parameters]), visit));
    }
}
