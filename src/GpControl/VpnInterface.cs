namespace GpControl;

/// <summary>Names of io.gpdaemon.Vpn and org.varlink.service, and the interface description served to generic tools.</summary>
public static class VpnInterface
{
    public const string Name = "io.gpdaemon.Vpn";
    public const string GetStatus = Name + ".GetStatus";
    public const string Connect = Name + ".Connect";
    public const string SubmitInput = Name + ".SubmitInput";
    public const string Disconnect = Name + ".Disconnect";
    public const string Watch = Name + ".Watch";

    public const string AlreadyConnected = Name + ".AlreadyConnected";
    public const string AuthenticationFailed = Name + ".AuthenticationFailed";
    public const string PortalError = Name + ".PortalError";
    public const string PermissionDenied = Name + ".PermissionDenied";
    public const string NotConnected = Name + ".NotConnected";
    public const string ConnectFailed = Name + ".ConnectFailed";
    public const string NoSuchPrompt = Name + ".NoSuchPrompt";
    public const string InvalidInput = Name + ".InvalidInput";

    public const string Description = """
        # The gpdaemon VPN connection: one tunnel, owned by the daemon.
        interface io.gpdaemon.Vpn

        type Gateway (name: string, address: string, priority: ?int)

        # kind: absent = a text answer; "browser" = sign in in a browser at url (or by submitting the HTML
        # page form), then answer with the globalprotectcallback: link or the cookie. expires: ISO 8601 UTC.
        # from: who asks, "portal" or "gateway".
        type Prompt (id: string, message: string, secret: bool, from: ?string, kind: ?string, url: ?string, form: ?string, expires: ?string)

        # state: Disconnected | Authenticating | NeedsInput | Connecting | Connected | Reconnecting | Disconnecting | Failed
        type Status (
          state: string,
          portal: ?string,
          gateway: ?Gateway,
          user: ?string,
          interface: ?string,
          ipv4: ?string,
          ipv6: ?string,
          dns: ?[]string,
          dns_domains: ?[]string,
          routes: ?[]string,
          excluded_routes: ?[]string,
          connected_since: ?string,
          hip_report: ?string,
          bytes_in: ?int,
          bytes_out: ?int,
          openconnect_pid: ?int,
          daemon_pid: int,
          version: string,
          message: ?string,
          prompt: ?Prompt
        )

        method GetStatus() -> (status: Status)

        # With more=true: one reply per state change until Connected, or an error.
        # Without more: one reply once the attempt has started.
        # portal: absent or empty = the portal of the daemon's config
        method Connect(portal: ?string, user: ?string, password: ?string, gateway: ?string) -> (status: Status)

        # Answers the prompt of the NeedsInput state. A browser sign-in's answer is checked first: one that
        # cannot be used gets InvalidInput, and the prompt keeps waiting.
        method SubmitInput(id: string, value: string) -> ()

        # forget: also remove the caller's saved session for portal (absent: the connection's portal, else the
        # configured one); forgot names it when there was one. With forget, not being connected is no error.
        method Disconnect(forget: ?bool, portal: ?string) -> (status: Status, forgot: ?string)

        # With more=true: the current status, then every change. Without more: the current status.
        method Watch() -> (status: Status)

        error AlreadyConnected (portal: string, state: string)
        error AuthenticationFailed (message: string)
        error PortalError (message: string)
        error ConnectFailed (message: string)
        # group: the group whose members may do it besides root
        error PermissionDenied (action: string, group: ?string)
        error NotConnected ()
        error NoSuchPrompt (id: string)
        error InvalidInput (id: string, message: string)
        """;
}
