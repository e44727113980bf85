using System.Net;
using System.Text;

namespace GlobalProtect.Protocol;

/// <summary>
/// Percent-encoding exactly as openconnect 9.01 writes form bodies and the session cookie: UTF-8, letters,
/// digits and <c>-_.~</c> kept, every other byte as <c>%xx</c> in lowercase hex (seen on the wire).
/// </summary>
internal static class FormEncoding
{
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var result = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                result.Append((char)b);
            }
            else
            {
                result.Append('%').Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return result.ToString();
    }

    /// <summary>Decodes <c>+</c> and <c>%xx</c>; malformed escapes stay as written (as openconnect's urldecode).</summary>
    public static string Unescape(string value) => WebUtility.UrlDecode(value);
}
