using System.Runtime.CompilerServices;
using GpControl;
using GpControl.Varlink;
using GpDaemon.Backend;
using GpDaemon.Config;
using GpDaemon.Connection;
using GpDaemon.Logging;
using Microsoft.Extensions.Logging;

namespace GpDaemon.Control;

/// <summary>
/// Turns one varlink call into its replies: method routing, permissions, parameter checks, and the mapping of the
/// state machine's outcomes to io.gpdaemon.Vpn errors. Knows nothing of sockets.
/// </summary>
internal sealed partial class ControlDispatcher(ConnectionStateMachine controller, ConfigStore config, ILogger<ControlDispatcher> logger)
{
    private static readonly ControlJsonContext Json = ControlJsonContext.Default;

    public async IAsyncEnumerable<byte[]> HandleAsync(VarlinkCall call, PeerCredentials? peer, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IAsyncEnumerable<byte[]> replies;
        try
        {
            replies = Route(call, peer, cancellationToken);
        }
        catch (Exception ex) when (ToError(ex) is { } error)
        {
            replies = One(error);
        }
        await using IAsyncEnumerator<byte[]> e = replies.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            byte[] reply;
            try
            {
                if (!await e.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
                reply = e.Current;
            }
            catch (Exception ex) when (ToError(ex) is { } error)
            {
                reply = error;
            }
            yield return reply;
        }
    }

    private IAsyncEnumerable<byte[]> Route(VarlinkCall call, PeerCredentials? peer, CancellationToken cancellationToken)
    {
        switch (call.Method)
        {
            case VarlinkService.GetInfo:
                return One(VarlinkMessageWriter.Reply(new ServiceInfo("gpdaemon", "gpdaemon", DaemonInfo.Version,
                    "https://github.com/gpdaemon/gpdaemon", [VarlinkService.Name, VpnInterface.Name]), Json.ServiceInfo));
            case VarlinkService.GetInterfaceDescription:
                string name = ParameterReader.Required(ParameterReader.Read(call.Parameters, Json.InterfaceDescriptionParameters).Interface,
                    nameof(InterfaceDescriptionParameters.Interface), ParameterLimits.Name);
                return One(name switch
                {
                    VpnInterface.Name => VarlinkMessageWriter.Reply(new InterfaceDescription(VpnInterface.Description), Json.InterfaceDescription),
                    VarlinkService.Name => VarlinkMessageWriter.Reply(new InterfaceDescription(VarlinkService.Description), Json.InterfaceDescription),
                    _ => VarlinkMessageWriter.Error(VarlinkService.InterfaceNotFound, new InterfaceNotFoundError(name), Json.InterfaceNotFoundError),
                });
            case VpnInterface.GetStatus:
                return One(StatusReply(Visible(controller.Current with { Status = controller.GetStatus() }, peer)));
            case VpnInterface.Watch:
                return call.More ? WatchAsync(peer, cancellationToken) : One(StatusReply(Visible(controller.Current, peer)));
            case VpnInterface.Connect:
                Demand(peer, "connect");
                return ConnectAsync(call, peer!, cancellationToken);
            case VpnInterface.SubmitInput:
                Demand(peer, "submit input");
                SubmitInputParameters input = ParameterReader.Read(call.Parameters, Json.SubmitInputParameters);
                string id = ParameterReader.Required(input.Id, nameof(SubmitInputParameters.Id), ParameterLimits.PromptId);
                string value = ParameterReader.Required(input.Value, nameof(SubmitInputParameters.Value), ParameterLimits.SignInResult);
                controller.SubmitInput(id, value, peer!.Uid);
                return One(VarlinkMessageWriter.Reply(new EmptyParameters(), Json.EmptyParameters));
            case VpnInterface.Disconnect:
                Demand(peer, "disconnect");
                DisconnectParameters disconnect = ParameterReader.Read(call.Parameters, Json.DisconnectParameters);
                bool forget = disconnect.Forget ?? false;
                string? forgetPortal = ParameterReader.OptionalText(disconnect.Portal, nameof(DisconnectParameters.Portal), ParameterLimits.Portal);
                return forget ? DisconnectAndForgetAsync(peer!, forgetPortal, cancellationToken) : DisconnectAsync(peer!, cancellationToken);
            default:
                int dot = call.Method.LastIndexOf('.');
                string iface = dot > 0 ? call.Method[..dot] : call.Method;
                return One(iface is VpnInterface.Name or VarlinkService.Name
                    ? VarlinkMessageWriter.Error(VarlinkService.MethodNotFound, new MethodNotFoundError(call.Method), Json.MethodNotFoundError)
                    : VarlinkMessageWriter.Error(VarlinkService.InterfaceNotFound, new InterfaceNotFoundError(iface), Json.InterfaceNotFoundError));
        }
    }

    private void Demand(PeerCredentials? peer, string action)
    {
        if (!AccessPolicy.Of(config).MayControl(peer))
        {
            LogPermissionDenied(logger, action, peer?.Uid, peer?.Pid);
            throw new PermissionDeniedException(action);
        }
    }

    private async IAsyncEnumerable<byte[]> ConnectAsync(VarlinkCall call, PeerCredentials peer, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ConnectDefaults defaults = config.Defaults;
        ConnectParameters parameters = ParameterReader.Read(call.Parameters, Json.ConnectParameters);
        string? portal = ParameterReader.OptionalText(parameters.Portal, nameof(ConnectParameters.Portal), ParameterLimits.Portal) ?? defaults.Portal;
        if (string.IsNullOrWhiteSpace(portal))
        {
            throw ParameterReader.Invalid(nameof(ConnectParameters.Portal));
        }
        var request = new ConnectRequest(
            portal.Trim(),
            ParameterReader.OptionalText(parameters.User, nameof(ConnectParameters.User), ParameterLimits.Name) ?? (portal == defaults.Portal ? defaults.User : null),
            ParameterReader.Optional(parameters.Password, nameof(ConnectParameters.Password), ParameterLimits.Secret),
            ParameterReader.OptionalText(parameters.Gateway, nameof(ConnectParameters.Gateway), ParameterLimits.Name) ?? (portal == defaults.Portal ? defaults.Gateway : null));

        // Subscribe before starting so that no state of this attempt is missed.
        using ConnectionStateMachine.Subscription subscription = controller.Subscribe();
        StateSnapshot started = controller.Connect(request, peer.Uid);
        if (!call.More)
        {
            yield return StatusReply(Visible(started, peer));
            yield break;
        }
        await foreach (StateSnapshot snapshot in subscription.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (snapshot.Sequence < started.Sequence)
            {
                continue;
            }
            switch (snapshot.Status.State)
            {
                case ConnectionState.Connected:
                    yield return StatusReply(Visible(snapshot, peer));
                    yield break;
                case ConnectionState.Failed:
                    yield return FailureError(snapshot);
                    yield break;
                case ConnectionState.Disconnecting or ConnectionState.Disconnected:
                    yield return VarlinkMessageWriter.Error(VpnInterface.ConnectFailed, new MessageError("disconnected before the connection was up"), Json.MessageError);
                    yield break;
                default:
                    yield return StatusReply(Visible(snapshot, peer), continues: true);
                    break;
            }
        }
    }

    private async IAsyncEnumerable<byte[]> DisconnectAsync(PeerCredentials peer, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        LogDisconnectRequested(logger, peer.Uid, peer.Pid);
        ConnectionStatus status = await controller.DisconnectAsync(cancellationToken).ConfigureAwait(false);
        yield return StatusReply(VpnStatusMapper.ToControl(status));
    }

    /// <summary>Disconnects if connected, then removes the caller's own saved session (never another user's).</summary>
    private async IAsyncEnumerable<byte[]> DisconnectAndForgetAsync(PeerCredentials peer, string? portal, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        LogDisconnectRequested(logger, peer.Uid, peer.Pid);
        portal = string.IsNullOrWhiteSpace(portal) ? controller.Current.Status.Portal ?? config.Defaults.Portal : portal.Trim();
        if (string.IsNullOrWhiteSpace(portal))
        {
            throw ParameterReader.Invalid(nameof(DisconnectParameters.Portal));
        }
        ConnectionStatus status;
        try
        {
            // Disconnect first: a login still running could otherwise save the session again.
            status = await controller.DisconnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NotConnectedException)
        {
            status = controller.GetStatus();
        }
        bool forgot = controller.ForgetSession(portal, peer.Uid);
        yield return VarlinkMessageWriter.Reply(new DisconnectReply(VpnStatusMapper.ToControl(status), forgot ? portal : null), Json.DisconnectReply);
    }

    private async IAsyncEnumerable<byte[]> WatchAsync(PeerCredentials? peer, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using ConnectionStateMachine.Subscription subscription = controller.Subscribe();
        await foreach (StateSnapshot snapshot in subscription.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return StatusReply(Visible(snapshot, peer), continues: true);
        }
    }

    /// <summary>
    /// A pending prompt is shown only to the user who connected, and root; an autoconnect's prompt to whoever may
    /// control the daemon (so that `gpctl connect` can attach and answer it).
    /// </summary>
    private VpnStatus Visible(StateSnapshot snapshot, PeerCredentials? peer) =>
        VpnStatusMapper.ToControl(snapshot.Status.Prompt is not null && !(peer is { Uid: 0 } || (peer is not null && peer.Uid == snapshot.OwnerUid)
            || (snapshot.Source == ConnectSource.Autoconnect && AccessPolicy.Of(config).MayControl(peer)))
            ? snapshot.Status with { Prompt = null }
            : snapshot.Status);

    private static byte[] StatusReply(VpnStatus status, bool continues = false) =>
        VarlinkMessageWriter.Reply(new StatusReply(status), Json.StatusReply, continues);

    private static byte[] FailureError(StateSnapshot snapshot)
    {
        string message = snapshot.Status.Message ?? "connection failed";
        string error = snapshot.Failure switch
        {
            FailureKind.Authentication => VpnInterface.AuthenticationFailed,
            FailureKind.Portal => VpnInterface.PortalError,
            _ => VpnInterface.ConnectFailed,
        };
        return VarlinkMessageWriter.Error(error, new MessageError(message), Json.MessageError);
    }

    private byte[]? ToError(Exception ex) => ex switch
    {
        AlreadyConnectedException a => VarlinkMessageWriter.Error(VpnInterface.AlreadyConnected, new AlreadyConnectedError(a.Portal, VpnStatusMapper.ToControl(a.State)), Json.AlreadyConnectedError),
        NotConnectedException => VarlinkMessageWriter.Error(VpnInterface.NotConnected, new EmptyParameters(), Json.EmptyParameters),
        PermissionDeniedException p => VarlinkMessageWriter.Error(VpnInterface.PermissionDenied, new PermissionDeniedError(p.Action, config.ControlGroup.Name), Json.PermissionDeniedError),
        PromptNotYoursException => VarlinkMessageWriter.Error(VpnInterface.PermissionDenied, new PermissionDeniedError("answer another user's prompt"), Json.PermissionDeniedError),
        NoSuchPromptException n => VarlinkMessageWriter.Error(VpnInterface.NoSuchPrompt, new NoSuchPromptError(n.Id), Json.NoSuchPromptError),
        InvalidInputException i => VarlinkMessageWriter.Error(VpnInterface.InvalidInput, new InvalidInputError(i.Id, i.Message), Json.InvalidInputError),
        InvalidParameterException i => VarlinkMessageWriter.Error(VarlinkService.InvalidParameter, new InvalidParameterError(i.Parameter), Json.InvalidParameterError),
        _ => null,
    };

    private static async IAsyncEnumerable<byte[]> One(byte[] reply)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield return reply;
    }

    [LoggerMessage(EventId = EventIds.PermissionDenied, Level = LogLevel.Warning, Message = "Permission denied: uid {Uid} (pid {Pid}) may not {Action}")]
    private static partial void LogPermissionDenied(ILogger logger, string action, uint? uid, int? pid);

    [LoggerMessage(EventId = EventIds.DisconnectRequested, Level = LogLevel.Information, Message = "Disconnect requested by uid {Uid} (pid {Pid})")]
    private static partial void LogDisconnectRequested(ILogger logger, uint uid, int pid);
}
