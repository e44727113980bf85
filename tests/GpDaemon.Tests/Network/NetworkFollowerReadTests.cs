using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using GpDaemon.Network;
using GpDaemon.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using static GpDaemon.Network.Rtnetlink;

namespace GpDaemon.Tests.Network;

/// <summary>
/// When and how the follower reads the state: against the real kernel in a network namespace of the test's own (v0 and
/// v1 for the real network, tun0 for the tunnel, ignored), and against a stand-in kernel for answers the real one gives
/// only by chance (an inconsistent dump).
/// </summary>
public sealed class NetworkFollowerReadTests
{
    private static async Task<NetworkNamespace> NamespaceAsync(CancellationToken cancellationToken, params string[] more)
    {
        NetworkNamespace ns = await NetworkNamespace.CreateAsync(cancellationToken);
        try
        {
            // No IPv6 link-local addresses (addrgenmode none): their duplicate address detection would wake reads of its own.
            await ns.BatchAsync(
            [
                "link add v0 type veth peer name v0p",
                "link add v1 type veth peer name v1p",
                "link add tun0 type veth peer name tun0p",
                .. new[] { "v0", "v0p", "v1", "v1p", "tun0", "tun0p" }.SelectMany(l => new[] { $"link set {l} addrgenmode none", $"link set {l} up" }),
                "address add 192.0.2.10/24 dev v0",
                "address add 198.51.100.10/24 dev v1",
                "address add 10.99.0.2/24 dev tun0",
                "route add default via 192.0.2.1 dev v0",
                .. more,
            ], cancellationToken);
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    private static NetworkFollower Follower(Func<uint, NetlinkSocket> open, TimeSpan? quiet = null) =>
        new(TimeProvider.System, NullLogger<NetworkFollower>.Instance)
        {
            OpenSocket = open,
            QuietPeriod = quiet ?? TimeSpan.FromMilliseconds(300),
            MaxSettleDelay = TimeSpan.FromSeconds(5),
        };

    private static Func<uint, NetlinkSocket> In(NetworkNamespace ns) => groups => ns.Enter(() => NetlinkSocket.Open(groups));

    private static bool IsTunnel(string name) => name == "tun0";

    /// <summary>Until no read came for a while: the links' carriers come up after the namespace is made.</summary>
    private static async Task<int> SettledReadsAsync(NetworkFollower follower)
    {
        int reads = -1;
        await Poll.UntilAsync(async () =>
        {
            int before = follower.StatesRead;
            await Task.Delay(TimeSpan.FromSeconds(1));
            reads = follower.StatesRead;
            return before == reads;
        }, still => still, "the follower's reads to settle");
        return reads;
    }

    [Fact]
    public async Task A_dump_the_kernel_marks_inconsistent_is_asked_again()
    {
        CancellationToken deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
        using var kernel = new StandInKernel();
        using NetworkFollower follower = Follower(kernel.Open);
        await follower.StartAsync(deadline);
        try
        {
            await follower.Ready.WaitAsync(deadline);
            // The first route dump was interrupted and missed the default route: no false "no route" from it.
            Assert.True(follower.Current?.HasNetwork, $"state read: {follower.Current?.Describe()}");
            Assert.Equal(2, kernel.RouteDumps);
        }
        finally
        {
            await follower.StopAsync(deadline);
        }
    }

    [Fact]
    public async Task A_network_lost_while_the_filter_changes_is_still_reported()
    {
        CancellationToken deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
        using NetworkNamespace ns = await NamespaceAsync(deadline);
        // A long quiet period, so that the route's going and the new filter are surely read together.
        using NetworkFollower follower = Follower(In(ns), quiet: TimeSpan.FromSeconds(1));
        follower.SetInterfaceFilter(IsTunnel);
        await follower.StartAsync(deadline);
        try
        {
            await follower.Ready.WaitAsync(deadline);
            Assert.True(follower.Current!.HasNetwork);

            // The Wi-Fi goes just as the tunnel's interface appears (the filter is given again).
            await ns.IpAsync(deadline, "route", "del", "default");
            follower.SetInterfaceFilter(name => name is "tun0" or "tun1");
            await Poll.UntilAsync(() => Task.FromResult(follower.Current!.HasNetwork), has => !has, "the loss to be read");
            await ns.IpAsync(deadline, "route", "add", "default", "via", "192.0.2.1", "dev", "v0");

            Assert.Equal(NetworkChangeKind.Lost, (await follower.Changes.ReadAsync(deadline)).Kind);
            Assert.Equal(NetworkChangeKind.Available, (await follower.Changes.ReadAsync(deadline)).Kind);
        }
        finally
        {
            await follower.StopAsync(deadline);
        }
    }

    [Fact]
    public async Task Link_news_that_take_no_link_up_or_down_read_nothing()
    {
        CancellationToken deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token;
        using NetworkNamespace ns = await NamespaceAsync(deadline);
        using NetworkFollower follower = Follower(In(ns));
        follower.SetInterfaceFilter(IsTunnel);
        await follower.StartAsync(deadline);
        try
        {
            await follower.Ready.WaitAsync(deadline);
            int reads = await SettledReadsAsync(follower);

            // What Wi-Fi scans and tools send: RTM_NEWLINK with the same up/running/lower-up flags.
            await ns.BatchAsync(["link set v1 alias wifi", "link set v1 mtu 1400", "link set v1 txqueuelen 500"], deadline);
            await Task.Delay(TimeSpan.FromSeconds(1.5), deadline); // well past the quiet period
            Assert.Equal(reads, follower.StatesRead);

            // A link going down is read.
            await ns.IpAsync(deadline, "link", "set", "v1", "down");
            await Poll.UntilAsync(() => Task.FromResult(follower.StatesRead), n => n > reads, "a read after the link went down");
        }
        finally
        {
            await follower.StopAsync(deadline);
        }
    }

    [Fact]
    public async Task A_filter_given_just_after_start_is_used_by_the_first_read_alone()
    {
        CancellationToken deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token;
        using NetworkNamespace ns = await NamespaceAsync(deadline, "route add default dev tun0 metric 5000");
        using NetworkFollower follower = Follower(In(ns));
        // As the daemon does: the follower starts first, then its user gives the filter.
        await follower.StartAsync(deadline);
        follower.SetInterfaceFilter(IsTunnel);
        try
        {
            await follower.Ready.WaitAsync(deadline);
            Assert.Equal("v0", Assert.Single(follower.Current!.DefaultRoutes).Interface);
            Assert.Equal(1, await SettledReadsAsync(follower));
        }
        finally
        {
            await follower.StopAsync(deadline);
        }
    }

    [Fact]
    public async Task Ready_completes_when_netlink_cannot_be_used_and_a_later_first_state_without_network_is_lost()
    {
        CancellationToken deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
        using NetworkNamespace ns = await NamespaceAsync(deadline, "route del default");
        int opened = 0;
        using NetworkFollower follower = Follower(groups => Interlocked.Increment(ref opened) == 1
            ? throw new SocketException((int)SocketError.AccessDenied)
            : In(ns)(groups));
        follower.SetInterfaceFilter(IsTunnel);
        await follower.StartAsync(deadline);
        try
        {
            await follower.Ready.WaitAsync(deadline);
            Assert.Null(follower.Current); // the first attempt failed: no state, and the start need not wait longer

            // The retry reads a state without network: the one who heard "no state" now hears "lost".
            NetworkChange change = await follower.Changes.ReadAsync(deadline);
            Assert.Equal(NetworkChangeKind.Lost, change.Kind);
            Assert.False(follower.Current!.HasNetwork);
        }
        finally
        {
            await follower.StopAsync(deadline);
        }
    }

    /// <summary>
    /// Answers the follower's requests over Unix datagram sockets as the kernel would, except that its first route dump
    /// is marked NLM_F_DUMP_INTR and lacks the default route. Its notification socket stays silent.
    /// </summary>
    private sealed class StandInKernel : IDisposable
    {
        private readonly TempDirectory _directory = new("gpd-netlink");
        private readonly List<Socket> _sockets = [];
        private readonly CancellationTokenSource _stop = new();
        private int _routeDumps;

        public int RouteDumps => Volatile.Read(ref _routeDumps);

        public NetlinkSocket Open(uint groups)
        {
            Socket follower = Bound(groups == 0 ? "requests" : "notifications");
            if (groups == 0)
            {
                Socket kernel = Bound("kernel");
                kernel.Connect(follower.LocalEndPoint!);
                follower.Connect(kernel.LocalEndPoint!);
                _ = AnswerAsync(kernel, _stop.Token);
            }
            return new NetlinkSocket(follower);
        }

        private Socket Bound(string name)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Bind(new UnixDomainSocketEndPoint(_directory.Combine(name + _sockets.Count)));
            _sockets.Add(socket);
            return socket;
        }

        private async Task AnswerAsync(Socket kernel, CancellationToken cancellationToken)
        {
            byte[] buffer = new byte[4096];
            try
            {
                while (true)
                {
                    int length = await kernel.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                    ushort type = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(4));
                    uint sequence = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(8));
                    const ushort multi = NLM_F_MULTI;
                    byte[] answer = type switch
                    {
                        RTM_GETLINK => [.. Message(RTM_NEWLINK, multi, sequence, Link(2, "eth0")), .. Done(multi, sequence)],
                        RTM_GETROUTE when Interlocked.Increment(ref _routeDumps) == 1 =>
                            Done(multi | NLM_F_DUMP_INTR, sequence),
                        RTM_GETROUTE => [.. Message(RTM_NEWROUTE, multi, sequence, DefaultRoute(2)), .. Done(multi, sequence)],
                        _ => Done(multi, sequence),
                    };
                    await kernel.SendAsync(answer, SocketFlags.None, cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }

        private static byte[] Message(ushort type, ushort flags, uint sequence, byte[] payload)
        {
            byte[] message = new byte[HeaderSize + payload.Length];
            BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), type);
            BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), flags);
            BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), sequence);
            payload.CopyTo(message, HeaderSize);
            return message;
        }

        private static byte[] Done(int flags, uint sequence) => Message(NLMSG_DONE, (ushort)flags, sequence, new byte[4]);

        private static byte[] Attribute(ushort type, byte[] value)
        {
            byte[] attribute = new byte[Align(4 + value.Length)];
            BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)(4 + value.Length));
            BinaryPrimitives.WriteUInt16LittleEndian(attribute.AsSpan(2), type);
            value.CopyTo(attribute, 4);
            return attribute;
        }

        // struct ifinfomsg { u8 family, pad; u16 type; s32 index; u32 flags, change; } then IFLA_IFNAME.
        private static byte[] Link(int index, string name)
        {
            byte[] ifinfo = new byte[16];
            BinaryPrimitives.WriteInt32LittleEndian(ifinfo.AsSpan(4), index);
            BinaryPrimitives.WriteUInt32LittleEndian(ifinfo.AsSpan(8), IFF_UP | IFF_RUNNING | IFF_LOWER_UP);
            return [.. ifinfo, .. Attribute(IFLA_IFNAME, [.. Encoding.ASCII.GetBytes(name), 0])];
        }

        // struct rtmsg: AF_INET, dst_len 0, table main, static, universe, unicast; then table, gateway 192.0.2.1, oif.
        private static byte[] DefaultRoute(int index) =>
        [
            AF_INET, 0, 0, 0, RT_TABLE_MAIN, 4, RT_SCOPE_UNIVERSE, RTN_UNICAST, 0, 0, 0, 0,
            .. Attribute(RTA_TABLE, BitConverter.GetBytes((uint)RT_TABLE_MAIN)),
            .. Attribute(RTA_GATEWAY, [192, 0, 2, 1]),
            .. Attribute(RTA_OIF, BitConverter.GetBytes(index)),
        ];

        public void Dispose()
        {
            _stop.Cancel();
            foreach (Socket socket in _sockets)
            {
                socket.Dispose();
            }
            _stop.Dispose();
            _directory.Dispose();
        }
    }
}
