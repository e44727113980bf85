namespace GpTunnel.Output;

/// <summary>
/// Masks the session cookie in text that came from openconnect before it is logged or reported
/// (openconnect echoes request bodies with -v or --dump-http-traffic in ExtraArgs).
/// </summary>
internal sealed class SecretRedactor
{
    private const string Mask = "***";
    private readonly string[] _secrets;

    public SecretRedactor(string cookie)
    {
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        if (cookie.Length > 0)
        {
            secrets.Add(cookie);
        }

        foreach (var pair in cookie.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var name = pair[..equals];
            var value = pair[(equals + 1)..];
            // authcookie, portal-userauthcookie, prelogin-cookie...: the values that log a user in.
            if (!name.Contains("cookie", StringComparison.OrdinalIgnoreCase) || value.Length < 4)
            {
                continue;
            }

            secrets.Add(value);
            var decoded = Uri.UnescapeDataString(value);
            if (decoded.Length >= 4)
            {
                secrets.Add(decoded);
            }
        }
        // Longest first so a secret containing another is masked whole.
        _secrets = secrets.OrderByDescending(s => s.Length).ToArray();
    }

    public string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }
        return text;
    }
}
