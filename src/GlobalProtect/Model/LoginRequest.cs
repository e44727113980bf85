namespace GlobalProtect;

/// <summary>What the user asked for.</summary>
/// <param name="Portal"><c>host</c>, <c>host:port</c> or <c>https://host[:port]/</c>.</param>
/// <param name="User">The user name; null means ask (or take it from <paramref name="Saved"/>).</param>
/// <param name="Password">The password (secret); null means ask when it is needed.</param>
/// <param name="Gateway">A gateway's description or address; null means choose by priority.</param>
/// <param name="Saved">A session saved by an earlier login, whose portal cookie is tried before any password.</param>
public sealed record LoginRequest(
    string Portal,
    string? User,
    string? Password,
    string? Gateway,
    SavedSession? Saved = null)
{
    public override string ToString() =>
        $"LoginRequest {{ Portal = {Portal}, User = {User}, Password = {Redact.Secret(Password)}, Gateway = {Gateway}, Saved = {Saved} }}";
}
