using System.Buffers.Binary;
using System.Net.Sockets;

namespace GpDaemon.Control;

/// <summary>Who is on the other end of a Unix socket, as the kernel recorded it at connect time (SO_PEERCRED, SO_PEERGROUPS).</summary>
internal sealed record PeerCredentials(int Pid, uint Uid, uint Gid, IReadOnlyList<uint> Groups)
{
    private const int SOL_SOCKET = 1;
    private const int SO_PEERCRED = 17;
    private const int SO_PEERGROUPS = 59;

    /// <summary>The peer's credentials, or null when the kernel will not say (then the peer is treated as unprivileged).</summary>
    public static PeerCredentials? TryRead(Socket socket)
    {
        try
        {
            Span<byte> ucred = stackalloc byte[12];
            if (socket.GetRawSocketOption(SOL_SOCKET, SO_PEERCRED, ucred) != 12)
            {
                return null;
            }
            int pid = BinaryPrimitives.ReadInt32LittleEndian(ucred);
            uint uid = BinaryPrimitives.ReadUInt32LittleEndian(ucred[4..]);
            uint gid = BinaryPrimitives.ReadUInt32LittleEndian(ucred[8..]);
            return new PeerCredentials(pid, uid, gid, ReadGroups(socket));
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static uint[] ReadGroups(Socket socket)
    {
        // Supplementary groups as the peer had them at connect time; no user database lookup, no pid reuse race.
        foreach (int count in (ReadOnlySpan<int>)[256, 65536])
        {
            byte[] buffer = new byte[count * 4];
            try
            {
                int length = socket.GetRawSocketOption(SOL_SOCKET, SO_PEERGROUPS, buffer);
                var groups = new uint[length / 4];
                for (int i = 0; i < groups.Length; i++)
                {
                    groups[i] = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i * 4));
                }
                return groups;
            }
            catch (SocketException)
            {
                // ERANGE: more groups than the buffer holds; try the larger one.
            }
        }
        return [];
    }
}
