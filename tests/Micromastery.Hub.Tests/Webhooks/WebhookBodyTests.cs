using System.Text;
using Micromastery.Hub.CalCom;
using Micromastery.Hub.GitHub;
using Micromastery.Hub.Tests.Infrastructure;
using Micromastery.Hub.Webhooks;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Tests.Webhooks;

/// <summary>The body's text is decoded once and only from well-formed UTF-8; HMAC keys follow a changed secret.</summary>
public sealed class WebhookBodyTests
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [Theory]
    [InlineData("FF")]
    [InlineData("C080")] // overlong
    [InlineData("EDA080")] // a surrogate
    [InlineData("E282")] // cut off
    [InlineData("F4908080")] // past U+10FFFF
    [InlineData("7B2278223A2280227D")] // {"x":"<continuation byte>"}
    public void BytesThatAreNotUtf8_HaveNoText(string hex) =>
        Assert.Null(new WebhookBody(Convert.FromHexString(hex)).Text);

    [Fact]
    public void Text_IsWhatAStrictDecoderGives_ForAnyBytes()
    {
        var random = new Random(1130);
        byte[][] pieces = [[0x41], [0x7B], [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80], [0xEF, 0xBB, 0xBF], [0x80], [0xC3], [0xED, 0xB0, 0x80], [0xF8], [0x00]];
        for (var i = 0; i < 5000; i++)
        {
            var bytes = Enumerable.Range(0, random.Next(12)).SelectMany(_ => pieces[random.Next(pieces.Length)]).ToArray();
            string? strict;
            try
            {
                strict = StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                strict = null;
            }

            Assert.True(strict == new WebhookBody(bytes).Text, Convert.ToHexString(bytes));
        }
    }

    [Fact]
    public void Text_IsDecodedOnce()
    {
        var body = new WebhookBody(Encoding.UTF8.GetBytes("""{"id":"evt_1"}"""));

        Assert.Same(body.Text, body.Text);
    }

    [Fact]
    public void SecretBytes_AreTheSameWhileTheSecretIs_AndNewWhenItChanges()
    {
        var bytes = new SecretBytes();

        var first = bytes.Of("whsec_one");
        var again = bytes.Of(new string("whsec_one".AsSpan())); // equal, another instance
        var changed = bytes.Of("whsec_two");

        Assert.Same(first, again);
        Assert.Equal("whsec_two"u8.ToArray(), changed);
        Assert.Equal("whsec_one"u8.ToArray(), bytes.Of("whsec_one"));
    }

    [Theory]
    [InlineData("github")]
    [InlineData("calcom")]
    public void ARotatedSecret_AppliesToTheNextDelivery(string provider)
    {
        var secret = new Settable(WebhookDelivery.SecretOf(provider));
        IWebhookSource source = provider == "github"
            ? new GitHubWebhookSource(secret.Monitor<GitHubOptions>(s => new() { WebhookSecret = s }), null!)
            : new CalComWebhookSource(secret.Monitor<CalComOptions>(s => new() { WebhookSecret = s }));
        var signedWithOld = WebhookDelivery.Realistic(provider);
        var signedWithNew = signedWithOld with { Secret = "the-rotated-webhook-secret" };

        var beforeRotation = signedWithOld.CheckedBy(source);
        secret.Value = "the-rotated-webhook-secret";

        Assert.IsType<WebhookCheck.Accepted>(beforeRotation);
        Assert.IsType<WebhookCheck.Rejected>(signedWithOld.CheckedBy(source));
        Assert.IsType<WebhookCheck.Accepted>(signedWithNew.CheckedBy(source));
    }

    [Fact]
    public void HexSignature_InUpperCase_Matches_AndAnythingButHexDoesNot()
    {
        var body = "Hello, World!"u8.ToArray();
        const string hex = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        var key = "It's a Secret to Everybody"u8;

        Assert.True(HmacSignature.Matches(key, body, hex.ToUpperInvariant()));
        Assert.False(HmacSignature.Matches(key, body, hex[..62] + "zz"));
        Assert.False(HmacSignature.Matches(key, body, hex[..63] + " "));
        Assert.False(HmacSignature.Matches(key, body, hex + "00"));
    }

    /// <summary>A secret that changes, as a configuration reload changes it.</summary>
    private sealed class Settable(string value)
    {
        public string Value { get; set; } = value;

        public IOptionsMonitor<T> Monitor<T>(Func<string, T> options) => new Live<T>(() => options(Value));

        private sealed class Live<T>(Func<T> current) : IOptionsMonitor<T>
        {
            public T CurrentValue => current();

            public T Get(string? name) => current();

            public IDisposable? OnChange(Action<T, string?> listener) => null;
        }
    }
}
