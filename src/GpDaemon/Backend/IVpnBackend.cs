namespace GpDaemon.Backend;

/// <summary>
/// What the state machine needs from the outside world: a login (which may wait on the user, through
/// <see cref="ILoginInteraction"/>), whose <see cref="LoginOutcome.Session"/> starts the tunnels.
/// </summary>
internal interface IVpnBackend
{
    Task<LoginOutcome> LoginAsync(ConnectRequest request, ILoginInteraction interaction, CancellationToken cancellationToken);

    /// <summary>Forgets the requester's saved session for the request's portal; false when there was none.</summary>
    bool ForgetSession(ConnectRequest request);
}
