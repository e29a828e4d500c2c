using System.Text;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;

namespace Micromastery.Hub.Tests.Payoffs;

/// <summary>The hub's verifier and the tests' signer agree with vectors computed by other implementations.</summary>
public sealed class SignatureVectorTests
{
    [Fact]
    public void GitHubDocumentedVector_MatchesTheHubAndTheTestSigner()
    {
        const string expected = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

        Assert.Equal("sha256=" + expected, TestSignatures.GitHub("Hello, World!", "It's a Secret to Everybody"));
        Assert.True(HmacSignature.Matches("It's a Secret to Everybody", Encoding.UTF8.GetBytes("Hello, World!"), expected));
    }

    [Fact]
    public void CalComVector_MatchesTheHubAndTheTestSigner()
    {
        const string body = """{"triggerEvent":"BOOKING_CREATED","createdAt":"2026-01-01T00:00:00.000Z","payload":{}}""";
        const string expected = "347de9ee06e5a4132bbd5abc3d92f96fd565ad2b4e628f32ed4a6a49ed832f02";

        Assert.Equal(expected, TestSignatures.CalCom(body, "cal_secret"));
        Assert.True(HmacSignature.Matches("cal_secret", Encoding.UTF8.GetBytes(body), expected));
    }
}
