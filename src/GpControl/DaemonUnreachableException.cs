using System.Net.Sockets;

namespace GpControl;

/// <summary>The control socket could not be reached: no daemon, a dead one, or no access to the socket.</summary>
public sealed class DaemonUnreachableException : Exception
{
    public DaemonUnreachableException(string socketPath, SocketError error, Exception inner)
        : base($"cannot reach gpdaemon at {socketPath}: {Explain(error)}", inner)
    {
        SocketPath = socketPath;
        SocketError = error;
    }

    /// <summary>The error for a failed connect to the socket: a missing socket file reads as "no socket there".</summary>
    public static DaemonUnreachableException From(string socketPath, SocketException ex) =>
        new(socketPath, ex.SocketErrorCode == SocketError.AddressNotAvailable || !File.Exists(socketPath)
            ? SocketError.AddressNotAvailable
            : ex.SocketErrorCode, ex);

    public string SocketPath { get; }

    public SocketError SocketError { get; }

    private static string Explain(SocketError error) => error switch
    {
        SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported => "no socket there",
        SocketError.ConnectionRefused => "the socket exists but no daemon is listening",
        SocketError.AccessDenied => "permission denied on the socket",
        _ => error.ToString(),
    };
}
