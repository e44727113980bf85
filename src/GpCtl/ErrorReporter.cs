using GpControl;
using GpText;

namespace GpCtl;

/// <summary>Turns a failure into the message a user can act on, and its exit code.</summary>
internal static class ErrorReporter
{
    private static readonly ControlJsonContext Json = ControlJsonContext.Default;

    /// <param name="unit">The daemon's unit, for the hints: gpdaemon, or gpdaemon@NAME for an instance.</param>
    public static int Report(Exception exception, TextWriter error, string unit = "gpdaemon")
    {
        switch (exception)
        {
            case DaemonUnreachableException unreachable:
                error.WriteLine($"gpctl: {unreachable.Message}.");
                error.WriteLine(unreachable.SocketError == System.Net.Sockets.SocketError.AccessDenied
                    ? "Check the permissions of the socket's directory."
                    : $"Is gpdaemon running? Start it with: sudo systemctl start {unit}");
                return ExitCode.DaemonUnreachable;
            case VarlinkErrorException varlink:
                return ReportVarlink(varlink, error);
            case IOException io:
                error.WriteLine($"gpctl: lost the connection to gpdaemon ({io.Message}). Check 'systemctl status {unit}'.");
                return ExitCode.DaemonUnreachable;
            default:
                error.WriteLine($"gpctl: {exception.Message}");
                return ExitCode.Failed;
        }
    }

    private static int ReportVarlink(VarlinkErrorException e, TextWriter error)
    {
        switch (e.Error)
        {
            case VpnInterface.AlreadyConnected:
                AlreadyConnectedError? connected = e.ParametersAs(Json.AlreadyConnectedError);
                error.WriteLine($"gpctl: already connected to {Safe(connected?.Portal)} (state {Safe(connected?.State)}).");
                error.WriteLine("Run 'gpctl disconnect' first to connect elsewhere.");
                return ExitCode.AlreadyConnected;
            case VpnInterface.PermissionDenied:
                PermissionDeniedError? denied = e.ParametersAs(Json.PermissionDeniedError);
                string action = Safe(denied?.Action) ?? "do that";
                string? group = Safe(denied?.Group);
                error.WriteLine($"gpctl: permission denied: you may not {action}.");
                error.WriteLine(group is null
                    ? "Only root may do this."
                    : $"Only root and members of the '{group}' group may. Join it with: sudo usermod -aG {group} $USER (then log in again)");
                return ExitCode.PermissionDenied;
            case VpnInterface.AuthenticationFailed:
                error.WriteLine($"gpctl: authentication failed: {Message(e)}");
                return ExitCode.AuthenticationFailed;
            case VpnInterface.PortalError:
                error.WriteLine($"gpctl: portal error: {Message(e)}");
                return ExitCode.Failed;
            case VpnInterface.ConnectFailed:
                error.WriteLine($"gpctl: connection failed: {Message(e)}");
                return ExitCode.Failed;
            case VpnInterface.NotConnected:
                error.WriteLine("gpctl: not connected.");
                return ExitCode.Failed;
            case VpnInterface.InvalidInput:
                error.WriteLine($"gpctl: {Safe(e.ParametersAs(Json.InvalidInputError)?.Message)}");
                return ExitCode.Failed;
            case VarlinkService.InvalidParameter:
                error.WriteLine($"gpctl: the daemon rejected parameter '{Safe(e.ParametersAs(Json.InvalidParameterError)?.Parameter)}'.");
                return ExitCode.Usage;
            default:
                error.WriteLine($"gpctl: {UntrustedText.Clean(e.Message)}");
                return ExitCode.Failed;
        }
    }

    private static string? Message(VarlinkErrorException e) => Safe(e.ParametersAs(Json.MessageError)?.Message);

    /// <summary>Text of an error reply, made safe for the terminal.</summary>
    private static string? Safe(string? text) => UntrustedText.CleanOrNull(text);
}
