using System.Text;
using System.Text.Unicode;

namespace Micromastery.Hub.Webhooks;

/// <summary>
/// One delivery's body: the bytes as received (and signed), and their text, decoded once for whoever asks
/// first (a signature check over the text, then the inbox) instead of once each.
/// </summary>
internal sealed class WebhookBody(byte[] bytes)
{
    private string? _text;
    private bool _decoded;

    /// <summary>The raw bytes: what the signature covers and what is parsed.</summary>
    public ReadOnlySpan<byte> Bytes => bytes;

    public int Length => bytes.Length;

    /// <summary>
    /// The body as text when it is well-formed UTF-8 (JSON between systems must be, RFC 8259), so what is
    /// stored is what was signed; null when it is not — never text with replacement characters.
    /// </summary>
    public string? Text
    {
        get
        {
            if (!_decoded)
            {
                // Validated first rather than decoded with a throwing encoding: unsigned garbage costs no exception.
                _text = Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : null;
                _decoded = true;
            }

            return _text;
        }
    }
}
