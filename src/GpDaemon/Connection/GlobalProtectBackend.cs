using GlobalProtect;
using GpDaemon.Auth;
using GpDaemon.Config;
using GpDaemon.Tunnel;
using GpTunnel;

namespace GpDaemon.Connection;

/// <summary>The real backend: GlobalProtect login (src/GlobalProtect), then openconnect (src/GpTunnel).</summary>
internal sealed class GlobalProtectBackend(
    DaemonConfig config,
    SessionStore sessions,
    OpenConnectSupervisor supervisor) : IVpnBackend
{
    private readonly GlobalProtectClient _client = new(
        new ClientIdentity(config.Client.Os, config.Client.Version, OsVersion(config.Client.Os), config.Client.Computer, config.Client.UserAgent),
        new TlsSettings(config.ServerCert, config.CaFile),
        config.Client.RequestTimeout);

    public async Task<LoginOutcome> LoginAsync(ConnectRequest request, ILoginInteraction interaction, CancellationToken cancellationToken)
    {
        var bridge = new PromptBridge(interaction);
        SavedSession? saved = sessions.Load(request.Portal);
        LoginResult result;
        try
        {
            result = await _client.LoginAsync(
                new LoginRequest(request.Portal, request.User ?? saved?.User, request.Password, request.Gateway, saved),
                bridge, bridge, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationFailedException ex)
        {
            throw new ConnectFailedException(FailureKind.Authentication, ex.Message, ex);
        }
        catch (GlobalProtectException ex)
        {
            throw new ConnectFailedException(FailureKind.Portal, ex.Message, ex);
        }
        sessions.Save(result.Session);
        return new LoginOutcome(result.Portal, result.User, GatewayMapping.ToControl(result.Gateway),
            [.. result.Gateways.Select(GatewayMapping.ToControl)], result);
    }

    public async Task<ITunnelHandle> StartTunnelAsync(LoginOutcome login, CancellationToken cancellationToken)
    {
        var result = (LoginResult)login.Session;
        try
        {
            OpenConnectTunnel tunnel = await supervisor.StartAsync(
                new TunnelStartInfo(result.Gateway.Address, result.OpenConnectCookie, config.ServerCert, config.CaFile, OsVersion(config.Client.Os)),
                cancellationToken).ConfigureAwait(false);
            return new TunnelHandle(tunnel);
        }
        catch (OpenConnectNotFoundException ex)
        {
            throw new ConnectFailedException(FailureKind.Tunnel, ex.Message, ex);
        }
    }

    public void ForgetSession(string portal) => sessions.Forget(portal);

    /// <summary>The OS name GlobalProtect and openconnect's --os use for a client OS.</summary>
    private static string OsVersion(string clientOs) => clientOs switch
    {
        "Windows" => "win",
        "Mac" => "mac-intel",
        _ => "linux-64",
    };
}
