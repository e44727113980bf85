namespace GlobalProtect.Protocol;

/// <summary>A portal or gateway: an https host and port.</summary>
internal sealed record ServerAddress(string Host, int Port)
{
    private const int HttpsPort = 443;

    /// <summary><c>host</c>, or <c>host:port</c> when the port is not 443 (IPv6 hosts in brackets).</summary>
    public string Authority => Port == HttpsPort ? Host : $"{Host}:{Port}";

    /// <summary>The host as the <c>server</c> form field carries it (no IPv6 brackets).</summary>
    public string BareHost => Host.StartsWith('[') && Host.EndsWith(']') ? Host[1..^1] : Host;

    public Uri BaseUri => new($"https://{Authority}/", UriKind.Absolute);

    public bool SameAs(ServerAddress other) =>
        string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase) && Port == other.Port;

    public override string ToString() => Authority;

    /// <summary>Reads <c>host</c>, <c>host:port</c> or <c>https://host[:port][/path]</c>; the path is ignored.</summary>
    public static ServerAddress Parse(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new GlobalProtectException($"the {what} address is empty");
        }

        var schemeEnd = trimmed.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0 && !trimmed.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            throw new GlobalProtectException($"the {what} address '{trimmed}' must use https");
        }

        var withScheme = schemeEnd >= 0 ? trimmed : "https://" + trimmed;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new GlobalProtectException($"the {what} address '{trimmed}' is not a host name, host:port or https URL");
        }

        return new ServerAddress(uri.Host.ToLowerInvariant(), uri.Port);
    }

    /// <summary>Like <see cref="Parse"/>, but null when the text is not an address.</summary>
    public static ServerAddress? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return Parse(text, "server");
        }
        catch (GlobalProtectException)
        {
            return null;
        }
    }
}
