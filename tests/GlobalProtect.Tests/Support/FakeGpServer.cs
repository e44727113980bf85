namespace GlobalProtect.Tests.Support;

/// <summary>
/// An in-memory GlobalProtect portal and gateways that behave as docs/globalprotect-protocol.md sections 1-3 describe.
/// Each property is one way a real server varies; <see cref="Override"/> injects faults.
/// </summary>
internal sealed class FakeGpServer
{
    public string Portal { get; init; } = "vpn.example.com";

    /// <summary>False: the portal host is only a gateway ("GlobalProtect portal does not exist").</summary>
    public bool PortalExists { get; init; } = true;

    /// <summary>True: the portal prelogin succeeds but getconfig says the portal does not exist.</summary>
    public bool PortalMissingAtGetConfig { get; init; }

    public string User { get; init; } = "alice";

    public string Password { get; init; } = "correct horse";

    /// <summary>A gateway password different from the portal's (null: the same).</summary>
    public string? GatewayPassword { get; init; }

    public string? Region { get; init; } = "US";

    public string PasswordLabel { get; init; } = "Password";

    public string GatewayPasswordLabel { get; init; } = "Password";

    public string UsernameLabel { get; init; } = "Username";

    public bool Saml { get; init; }

    /// <summary>The gateway's own prelogin asks for SAML too (REDIRECT).</summary>
    public bool GatewaySaml { get; init; }

    /// <summary>The prelogin-cookie a SAML sign-in yields; getconfig and login.esp accept it in place of the password.</summary>
    public string SamlCookie { get; init; } = "saml-prelogin-cookie-0123";

    public FakeChallenge? PortalChallenge { get; init; }

    public FakeChallenge? GatewayChallenge { get; init; }

    /// <summary>The portal-userauthcookie the portal issues and accepts in place of the password.</summary>
    public string? PortalCookie { get; init; }

    public string? PrelogonCookie { get; init; }

    /// <summary>Cookies the portal still accepts though it no longer issues them (a saved session).</summary>
    public IReadOnlyList<string> AcceptedPortalCookies { get; init; } = [];

    public bool GatewayAcceptsPortalCookie { get; init; } = true;

    public RefusalForm Refusal { get; init; } = RefusalForm.Http512;

    /// <summary>Gateway entries (see <see cref="Gp.Gateway"/>); default: one gateway on its own host.</summary>
    public IReadOnlyList<string>? GatewayEntries { get; init; }

    /// <summary>The hosts that act as gateways (default: derived from the entries).</summary>
    public IReadOnlyList<string>? GatewayHosts { get; init; }

    public string AuthCookie { get; init; } = "a1b2c3d4e5f6";

    public string? Domain { get; init; } = "%28empty_domain%29";

    /// <summary>Answers first when it returns non-null.</summary>
    public Func<RecordedRequest, CancellationToken, Task<FakeResponse?>>? Override { get; init; }

    /// <summary>A session cookie the portal sets on prelogin and expects back on getconfig.</summary>
    public string? HttpSessionCookie { get; init; }

    public List<RecordedRequest> Requests { get; } = [];

    public IEnumerable<RecordedRequest> To(string path) => Requests.Where(r => r.Path == path);

    public HttpMessageHandler CreateHandler() => new InMemoryHandler(RespondAsync, Requests);

    public GlobalProtectClient CreateClient(TimeSpan? timeout = null) =>
        new(new ClientIdentity(Computer: "testbox"), new TlsSettings(), timeout ?? TimeSpan.FromSeconds(30), CreateHandler);

    private IReadOnlyList<string> Entries => GatewayEntries ?? [Gp.Gateway("gw1.example.com", "US East", 1)];

    private async Task<FakeResponse> RespondAsync(RecordedRequest request, CancellationToken cancellationToken)
    {
        if (Override is not null && await Override(request, cancellationToken) is { } overridden)
        {
            return overridden;
        }

        if (request.Method != "POST")
        {
            return new FakeResponse(405, "method not allowed", "text/plain");
        }

        var isPortalHost = request.Authority == Portal;
        var isGatewayHost = IsGateway(request.Authority) || (isPortalHost && !PortalExists);
        return request.Path switch
        {
            "/global-protect/prelogin.esp" when isPortalHost => PortalExists
                ? new FakeResponse(200, Gp.Prelogin(Region, UsernameLabel, PasswordLabel, Saml ? "REDIRECT" : null, Saml ? "aHR0cHM6Ly9pZHAuZXhhbXBsZS5jb20vc2FtbA==" : null))
                {
                    SetCookies = HttpSessionCookie is null ? [] : [$"{HttpSessionCookie}; Path=/; Secure; HttpOnly"],
                }
                : FakeResponse.Xml(Gp.PreloginError("GlobalProtect portal does not exist")),
            "/global-protect/getconfig.esp" when isPortalHost => PortalGetConfig(request),
            "/ssl-vpn/prelogin.esp" when isGatewayHost =>
                FakeResponse.Xml(GatewaySaml || (Saml && !PortalExists)
                    ? Gp.Prelogin(Region, UsernameLabel, GatewayPasswordLabel, "REDIRECT", "aHR0cHM6Ly9pZHAuZXhhbXBsZS5jb20vZ2F0ZXdheQ==")
                    : Gp.Prelogin(Region, UsernameLabel, GatewayPasswordLabel)),
            "/ssl-vpn/prelogin.esp" => FakeResponse.Xml(Gp.PreloginError("GlobalProtect gateway does not exist")),
            "/ssl-vpn/login.esp" when isGatewayHost => GatewayLogin(request),
            "/ssl-vpn/login.esp" => FakeResponse.Xml(Gp.Error("GlobalProtect gateway does not exist")),
            _ => new FakeResponse(404, "not found", "text/plain"),
        };
    }

    private bool IsGateway(string authority) =>
        (GatewayHosts ?? Entries.Select(AddressOf).ToList()).Contains(authority, StringComparer.OrdinalIgnoreCase);

    private static string AddressOf(string entry)
    {
        var start = entry.IndexOf("name=\"", StringComparison.Ordinal) + 6;
        return entry[start..entry.IndexOf('"', start)];
    }

    private FakeResponse PortalGetConfig(RecordedRequest request)
    {
        if (!PortalExists || PortalMissingAtGetConfig)
        {
            return FakeResponse.Xml(Gp.Error("GlobalProtect portal does not exist"));
        }

        if (HttpSessionCookie is not null && request.Cookie?.Contains(HttpSessionCookie, StringComparison.Ordinal) != true)
        {
            return FakeResponse.Xml(Gp.Error("session cookie missing"));
        }

        var policy = FakeResponse.Xml(Gp.Policy(Entries, portalCookie: PortalCookie, prelogonCookie: PrelogonCookie));
        if (request.Field("user") != User)
        {
            return Refuse();
        }

        var cookie = request.Field("portal-userauthcookie");
        if (!string.IsNullOrEmpty(cookie))
        {
            return cookie == PortalCookie || AcceptedPortalCookies.Contains(cookie) ? policy : Refuse();
        }

        if (Saml)
        {
            return request.Field("prelogin-cookie") == SamlCookie ? policy : Refuse();
        }

        return Authenticate(request, Password, PortalChallenge, policy);
    }

    private FakeResponse GatewayLogin(RecordedRequest request)
    {
        var jnlp = FakeResponse.Xml(Gp.Jnlp(AuthCookie, User, domain: Domain));
        if (request.Field("user") != User)
        {
            return Refuse();
        }

        var cookie = request.Field("portal-userauthcookie");
        if (!string.IsNullOrEmpty(cookie))
        {
            return GatewayAcceptsPortalCookie && cookie == PortalCookie ? jnlp : Refuse();
        }

        if (GatewaySaml || (Saml && !PortalExists))
        {
            return request.Field("prelogin-cookie") == SamlCookie ? jnlp : Refuse();
        }

        return Authenticate(request, GatewayPassword ?? Password, GatewayChallenge, jnlp);
    }

    private FakeResponse Authenticate(RecordedRequest request, string password, FakeChallenge? challenge, FakeResponse success)
    {
        var inputStr = request.Field("inputStr");
        if (challenge is not null && inputStr is not null)
        {
            return inputStr == challenge.InputStr && request.Field("passwd") == challenge.Code ? success : Refuse();
        }

        if (request.Field("passwd") != password)
        {
            return Refuse();
        }

        if (challenge is null)
        {
            return success;
        }

        return challenge.Form == ChallengeForm.Script
            ? FakeResponse.Text(Gp.ScriptChallenge(challenge.Message, challenge.InputStr))
            : FakeResponse.Xml(Gp.XmlChallenge(User, challenge.Message, challenge.InputStr));
    }

    private FakeResponse Refuse() => Refusal switch
    {
        RefusalForm.Http512 => new FakeResponse(512, "Invalid username or password", "text/html"),
        RefusalForm.StatusError => FakeResponse.Xml(Gp.Error("Invalid username or password")),
        _ => FakeResponse.Text(Gp.ScriptError("Authentication failed: Invalid username or password")),
    };
}
