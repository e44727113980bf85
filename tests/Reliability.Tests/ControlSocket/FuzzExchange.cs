using System.Net.Sockets;

namespace Reliability.Tests.ControlSocket;

/// <summary>Plays one fuzz case against the daemon's socket.</summary>
internal static class FuzzExchange
{
    /// <summary>
    /// Connects, sends the case, and reads until the first NUL-terminated reply or the end of the connection.
    /// <paramref name="hangAfter"/> only detects a hang: a daemon that neither answers nor closes.
    /// </summary>
    public static async Task<FuzzOutcome> RunAsync(string socketPath, FuzzCase fuzzCase, TimeSpan hangAfter)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var deadline = new CancellationTokenSource(hangAfter);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), deadline.Token);
        foreach (byte[] write in fuzzCase.Writes)
        {
            try
            {
                await socket.SendAsync(write, SocketFlags.None, deadline.Token);
            }
            catch (SocketException)
            {
                break; // closed on us mid-send: one of the allowed answers, read what is left
            }
            catch (OperationCanceledException)
            {
                return new FuzzOutcome(null, false, false, TimedOut: true);
            }
        }
        if (fuzzCase.HalfClose)
        {
            try
            {
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
            }
        }
        var received = new List<byte>();
        byte[] buffer = new byte[64 * 1024];
        while (true)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            }
            catch (SocketException)
            {
                n = 0; // reset: the daemon closed with our bytes unread
            }
            catch (OperationCanceledException)
            {
                return new FuzzOutcome(null, false, false, TimedOut: true);
            }
            if (n == 0)
            {
                return received.Count == 0 ? new FuzzOutcome(null, true, false, false) : new FuzzOutcome(null, false, true, false);
            }
            int nul = buffer.AsSpan(0, n).IndexOf((byte)0);
            if (nul >= 0)
            {
                received.AddRange(buffer.AsSpan(0, nul));
                return new FuzzOutcome([.. received], false, false, false);
            }
            received.AddRange(buffer.AsSpan(0, n));
        }
    }
}
