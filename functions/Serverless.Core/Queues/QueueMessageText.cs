using System.Text;

namespace Serverless.Queues;

/// <summary>Queue messages travel base64-encoded (what the Functions queue trigger reads by default).</summary>
public static class QueueMessageText
{
    /// <summary>The UTF-8 text inside a base64 message body; false when the body is not base64 UTF-8.</summary>
    public static bool TryDecode(string body, out string text)
    {
        var bytes = new byte[body.Length];
        if (Convert.TryFromBase64String(body, bytes, out var length))
        {
            try
            {
                text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
                return true;
            }
            catch (DecoderFallbackException)
            {
                // base64, but not of UTF-8 text
            }
        }

        text = "";
        return false;
    }
}
