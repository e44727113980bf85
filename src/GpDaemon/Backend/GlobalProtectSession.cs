using GlobalProtect;

namespace GpDaemon.Backend;

/// <summary>
/// A GlobalProtect login and the saved-session owner it was made for (a session belongs to the user who made it).
/// Its tunnels are started by the backend that made it.
/// </summary>
internal sealed class GlobalProtectSession(GlobalProtectBackend backend, LoginResult result, string owner) : IVpnSession
{
    public LoginResult Result { get; } = result;

    public string Owner { get; } = owner;

    public Task<ITunnelHandle> StartTunnelAsync(CancellationToken cancellationToken) => backend.StartTunnelAsync(this, cancellationToken);

    // The login result redacts its own secrets; the owner is no secret.
    public override string ToString() => $"GlobalProtectSession {{ Owner = {Owner}, Result = {Result} }}";
}
