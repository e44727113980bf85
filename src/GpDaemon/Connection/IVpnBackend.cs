namespace GpDaemon.Connection;

/// <summary>What the state machine needs from the outside world: a login, and a tunnel built from it.</summary>
internal interface IVpnBackend
{
    Task<LoginOutcome> LoginAsync(ConnectRequest request, ILoginInteraction interaction, CancellationToken cancellationToken);

    Task<ITunnelHandle> StartTunnelAsync(LoginOutcome login, CancellationToken cancellationToken);

    /// <summary>Forgets the requester's saved session for the request's portal; false when there was none.</summary>
    bool ForgetSession(ConnectRequest request);
}
