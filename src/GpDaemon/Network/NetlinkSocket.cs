using System.Net.Sockets;
using System.Runtime.InteropServices;
using GpTunnel.Interop;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace GpDaemon.Network;

/// <summary>
/// A NETLINK_ROUTE socket, opened and bound with Tmds.LibC (the framework's Socket has no netlink address), then handed to
/// System.Net.Sockets.Socket for cancellable asynchronous send and receive on the runtime's event loop.
/// </summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    private readonly Socket _socket;

    /// <summary>Wraps a socket that is already open: <see cref="Open"/>'s, or in tests one end of a stand-in kernel.</summary>
    internal NetlinkSocket(Socket socket) => _socket = socket;

    /// <summary>Opens a socket subscribed to <paramref name="groups"/> (RTMGRP_*; 0 for a request socket). It belongs to
    /// the network namespace of the calling thread.</summary>
    public static NetlinkSocket Open(uint groups)
    {
        int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, Rtnetlink.NETLINK_ROUTE);
        if (fd < 0)
        {
            throw Native.LastError("socket(AF_NETLINK)");
        }

        var handle = new SafeSocketHandle(fd, ownsHandle: true);
        try
        {
            // A burst (a link with many routes going away) must not overrun the default buffer; an overrun is still
            // handled (ENOBUFS makes the follower read the whole state again).
            int size = 1024 * 1024;
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(int));
            var address = new SockaddrNl { Family = (ushort)AF_NETLINK, Groups = groups };
            if (bind(fd, (sockaddr*)&address, (uint)sizeof(SockaddrNl)) != 0)
            {
                throw Native.LastError("bind(AF_NETLINK)");
            }

            return new NetlinkSocket(new Socket(handle));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        _socket.SendAsync(message, SocketFlags.None, cancellationToken);

    /// <summary>One datagram. Throws a SocketException with NoBufferSpaceAvailable after an overrun.</summary>
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public void Dispose() => _socket.Dispose();

    // struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; }
    [StructLayout(LayoutKind.Sequential)]
    private struct SockaddrNl
    {
        public ushort Family;
        public ushort Pad;
        public uint Pid;
        public uint Groups;
    }
}
