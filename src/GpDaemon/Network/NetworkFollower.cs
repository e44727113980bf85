using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using GpDaemon.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using static GpDaemon.Network.Rtnetlink;

namespace GpDaemon.Network;

/// <summary>
/// Follows route, address and link changes over rtnetlink and reports each settled change that matters to the tunnel
/// on <see cref="Changes"/>: <see cref="NetworkChangeKind.Lost"/>, <see cref="NetworkChangeKind.Available"/>,
/// <see cref="NetworkChangeKind.Changed"/>. Notifications only say that something moved: after a quiet period the
/// follower reads the whole state again from the kernel (routes, the kernel's own route to the gateway, addresses) and
/// compares it with the last one (<see cref="NetworkState.Compare"/>), so a burst is one change and a lost notification
/// (ENOBUFS) is harmless. Changes on interfaces the filter ignores (the tunnel's own) wake nothing.
/// </summary>
internal sealed partial class NetworkFollower(TimeProvider time, ILogger<NetworkFollower> logger) : BackgroundService
{
    private const uint Groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE;

    /// <summary>How many times in all a dump the kernel marks inconsistent is asked for.</summary>
    private const int DumpAttempts = 5;

    private readonly Channel<NetworkChange> _changes = Channel.CreateUnbounded<NetworkChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<bool> _wakeups = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
    });
    private readonly ConcurrentDictionary<int, (string Name, uint Flags)> _links = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Func<string, bool> _ignored = static _ => false;
    private volatile IPAddress? _gateway;
    private volatile bool _rebaseline;
    private volatile NetworkState? _current;
    private uint _sequence;
    private int _filterVersion;
    private int _statesRead;
    private bool _followed;

    /// <summary>How long the routes must stay still before the state is read again.</summary>
    public TimeSpan QuietPeriod { get; init; } = TimeSpan.FromMilliseconds(400);

    /// <summary>A storm that never goes quiet is read after at most this long.</summary>
    public TimeSpan MaxSettleDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Every request to the kernel ends within this.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Opens a netlink socket (groups, or 0 for requests). Tests open it inside a network namespace.</summary>
    internal Func<uint, NetlinkSocket> OpenSocket { get; init; } = NetlinkSocket.Open;

    /// <summary>Each settled change, in order. Read by one consumer.</summary>
    public ChannelReader<NetworkChange> Changes => _changes.Reader;

    /// <summary>Completes once the first attempt to read the state is over: <see cref="Current"/> is set if it
    /// succeeded, else null (netlink cannot be used; the follower retries, and a later first state without network is
    /// reported as <see cref="NetworkChangeKind.Lost"/>).</summary>
    public Task Ready => _ready.Task;

    /// <summary>The last state read, or null before <see cref="Ready"/> or while netlink never worked.</summary>
    public NetworkState? Current => _current;

    /// <summary>How many times the whole state was read from the kernel (tests count needless reads).</summary>
    internal int StatesRead => Volatile.Read(ref _statesRead);

    /// <summary>Which interfaces to leave out (the tunnel's own, known once openconnect made it). Changing it reads the
    /// state again, reporting only a network lost or back meanwhile: what the follower looks at is not a change of the
    /// network. Before the first state is read, that read uses it.</summary>
    public void SetInterfaceFilter(Func<string, bool> ignored)
    {
        _ignored = ignored;
        Interlocked.Increment(ref _filterVersion); // a full fence: the read of _current below is not moved before it
        if (_current is not null)
        {
            Rebaseline();
        }
    }

    /// <summary>The gateway the tunnel talks to (null: none). Its route decides <see cref="NetworkChangeKind.Changed"/>
    /// while set. Setting it reads the state again; a new gateway is not a change of the network
    /// (<see cref="NetworkState.Compare"/>).</summary>
    public void SetGateway(IPAddress? gateway)
    {
        _gateway = gateway;
        _wakeups.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan delay = TimeSpan.FromSeconds(1);
        bool reported = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FollowAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            // Whatever goes wrong with netlink, the daemon and its tunnel go on: dead-peer detection still notices.
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (_followed)
                {
                    // It worked until now: say so again, and try again soon.
                    _followed = false;
                    reported = false;
                    delay = TimeSpan.FromSeconds(1);
                }
                if (!reported)
                {
                    LogUnavailable(logger, e.Message);
                }

                reported = true;
                _ready.TrySetResult(); // the first attempt is over: the daemon goes on without the state
            }
            try
            {
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }

    public override void Dispose()
    {
        _changes.Writer.TryComplete();
        base.Dispose();
    }

    private void Rebaseline()
    {
        _rebaseline = true;
        _wakeups.Writer.TryWrite(true);
    }

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        // Subscribe first, then read: a change between the two is then seen as a notification.
        using NetlinkSocket notifications = OpenSocket(Groups);
        using NetlinkSocket requests = OpenSocket(0);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _rebaseline = false; // the state read now is the baseline
        (NetworkState state, int filter) = await ReadStateAsync(requests, stop.Token).ConfigureAwait(false);
        // After a lost socket, what changed meanwhile; after a first attempt that failed (Ready told of no state), a
        // network missing from the start.
        NetworkChange? sinceLast = _current is { } previous ? NetworkState.Compare(previous, state)
            : _ready.Task.IsCompleted && !state.HasNetwork ? new NetworkChange(NetworkChangeKind.Lost, "no default route")
            : null;
        _current = state;
        Interlocked.MemoryBarrier(); // pairs with SetInterfaceFilter's: either it sees _current, or this sees its filter
        if (filter != Volatile.Read(ref _filterVersion))
        {
            Rebaseline(); // a filter given after this read took one
        }
        _ready.TrySetResult();
        _followed = true;
        LogFollowing(logger, state.HasNetwork ? state.Describe() : "no route");
        if (sinceLast is not null)
        {
            Report(sinceLast);
        }

        Task listening = ListenAsync(notifications, stop.Token);
        try
        {
            await SettleLoopAsync(requests, listening, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await listening.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>Reads notifications; each one that concerns an interface not ignored wakes the settle loop.</summary>
    private async Task ListenAsync(NetlinkSocket socket, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[64 * 1024];
        while (true)
        {
            int length;
            try
            {
                length = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.NoBufferSpaceAvailable)
            {
                _wakeups.Writer.TryWrite(true); // notifications were lost: read everything again
                continue;
            }
            if (length <= 0)
            {
                throw new IOException("the netlink socket closed");
            }

            bool relevant = false;
            foreach (NetlinkMessage message in NetlinkParser.Parse(buffer.AsSpan(0, length)))
            {
                relevant |= Concerns(message);
            }

            if (relevant)
            {
                _wakeups.Writer.TryWrite(true);
            }
        }
    }

    private bool Concerns(NetlinkMessage message)
    {
        switch (message)
        {
            case LinkMessage link:
                return LinkConcerns(link);
            case RouteMessage route:
                return !IsIgnored(route.OutputInterface);
            case AddressMessage address:
                return !IsIgnored(address.InterfaceIndex);
            default:
                return false;
        }
    }

    /// <summary>Remembers the link's name and flags. Only a link new or gone, renamed, or going up or down can move a
    /// route; other link news (a Wi-Fi scan, statistics, an MTU) wake nothing. A renamed link counts unless both its
    /// names are ignored.</summary>
    private bool LinkConcerns(LinkMessage link)
    {
        bool wasKnown = _links.TryGetValue(link.InterfaceIndex, out (string Name, uint Flags) known);
        string? name = link.Name ?? (wasKnown ? known.Name : null);
        bool matters;
        if (link.Type == RTM_DELLINK)
        {
            _links.TryRemove(link.InterfaceIndex, out _);
            matters = true;
        }
        else
        {
            matters = !wasKnown || name != known.Name || ((link.LinkFlags ^ known.Flags) & (IFF_UP | IFF_RUNNING | IFF_LOWER_UP)) != 0;
            if (name is not null)
            {
                _links[link.InterfaceIndex] = (name, link.LinkFlags);
            }
        }

        return matters && (name is null || !_ignored(name) || (wasKnown && !_ignored(known.Name)));
    }

    private bool IsIgnored(int index) =>
        index != 0 && _links.TryGetValue(index, out (string Name, uint Flags) link) && _ignored(link.Name);

    private async Task SettleLoopAsync(NetlinkSocket requests, Task listening, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task<bool> woken = _wakeups.Reader.WaitToReadAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(woken, listening).ConfigureAwait(false) == listening)
            {
                await listening.ConfigureAwait(false); // throws why listening ended
                return;
            }
            await woken.ConfigureAwait(false);
            _wakeups.Reader.TryRead(out _);
            await QuietAsync(cancellationToken).ConfigureAwait(false);

            bool rebaseline = _rebaseline;
            _rebaseline = false;
            (NetworkState state, _) = await ReadStateAsync(requests, cancellationToken).ConfigureAwait(false);
            NetworkState previous = _current ?? NetworkState.Empty;
            _current = state;
            // After a new filter a Changed may be only what is looked at; a network lost or back meanwhile is real.
            if (NetworkState.Compare(previous, state) is { } change && !(rebaseline && change.Kind == NetworkChangeKind.Changed))
            {
                Report(change);
            }
        }
    }

    /// <summary>Waits until no wakeup came for <see cref="QuietPeriod"/>, or <see cref="MaxSettleDelay"/> passed.</summary>
    private async Task QuietAsync(CancellationToken cancellationToken)
    {
        long start = time.GetTimestamp();
        while (true)
        {
            using var round = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task<bool> woken = _wakeups.Reader.WaitToReadAsync(round.Token).AsTask();
            Task quiet = Task.Delay(QuietPeriod, time, round.Token);
            Task first = await Task.WhenAny(woken, quiet).ConfigureAwait(false);
            await round.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (first == quiet || time.GetElapsedTime(start) >= MaxSettleDelay)
            {
                return;
            }

            _wakeups.Reader.TryRead(out _);
        }
    }

    private void Report(NetworkChange change)
    {
        LogChange(logger, change.Kind, change.Reason);
        _changes.Writer.TryWrite(change);
    }

    /// <summary>Reads the whole state; also gives the version of the filter it used.</summary>
    private async Task<(NetworkState State, int Filter)> ReadStateAsync(NetlinkSocket socket, CancellationToken cancellationToken)
    {
        IPAddress? gateway = _gateway;
        byte[] buffer = new byte[64 * 1024];
        IReadOnlyList<NetlinkMessage> links = await DumpAsync(socket, RTM_GETLINK, buffer, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<NetlinkMessage> routes = await DumpAsync(socket, RTM_GETROUTE, buffer, cancellationToken).ConfigureAwait(false);
        RouteMessage? toGateway = null;
        if (gateway is not null)
        {
            IReadOnlyList<NetlinkMessage> answer = await RequestAsync(socket, NetlinkParser.RouteToRequest(gateway, NextSequence()),
                buffer, cancellationToken).ConfigureAwait(false);
            toGateway = answer.OfType<RouteMessage>().FirstOrDefault() is { RouteType: RTN_UNICAST } route ? route : null;
        }
        IReadOnlyList<NetlinkMessage> addressDump = await DumpAsync(socket, RTM_GETADDR, buffer, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _statesRead);

        // The filter is taken once the kernel has answered, so that one given meanwhile (at start) is used already.
        int filter = Volatile.Read(ref _filterVersion);
        Func<string, bool> ignored = _ignored;
        foreach (NetlinkMessage message in links)
        {
            if (message is LinkMessage { Name: { } name } link)
            {
                _links[link.InterfaceIndex] = (name, link.LinkFlags);
            }
        }

        var defaults = new List<RouteSummary>();
        foreach (NetlinkMessage message in routes)
        {
            if (message is RouteMessage { IsDefault: true, Table: RT_TABLE_MAIN, RouteType: RTN_UNICAST } route
                && Summarize(route, ignored) is { } summary)
            {
                defaults.Add(summary);
            }
        }
        defaults.Sort((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));
        RouteSummary? gatewayRoute = toGateway is null ? null : Summarize(toGateway, ignored);

        // The interfaces that carry the tunnel's traffic: the gateway's route's, else the default routes'.
        HashSet<string> carriers = gatewayRoute is not null ? [gatewayRoute.Interface] : [.. defaults.Select(r => r.Interface)];
        var addresses = new List<string>();
        foreach (NetlinkMessage message in addressDump)
        {
            if (message is AddressMessage { Scope: RT_SCOPE_UNIVERSE, Address: { } address } a
                && (a.AddressFlags & (IFA_F_TEMPORARY | IFA_F_DEPRECATED | IFA_F_TENTATIVE)) == 0
                && _links.TryGetValue(a.InterfaceIndex, out (string Name, uint Flags) link) && carriers.Contains(link.Name))
            {
                addresses.Add($"{link.Name} {address}/{a.PrefixLength}");
            }
        }
        addresses.Sort(StringComparer.Ordinal);
        return (new NetworkState(defaults, gateway, gatewayRoute, addresses), filter);
    }

    private RouteSummary? Summarize(RouteMessage route, Func<string, bool> ignored)
    {
        if (route.OutputInterface == 0)
        {
            return route.Multipath ? new RouteSummary("multipath", route.Gateway, route.PreferredSource) : null;
        }

        string name = _links.TryGetValue(route.OutputInterface, out (string Name, uint Flags) link) ? link.Name : "#" + route.OutputInterface;
        return ignored(name) ? null : new RouteSummary(name, route.Gateway, route.PreferredSource);
    }

    /// <summary>A dump the kernel marks inconsistent (NLM_F_DUMP_INTR: the table changed while it was read, so an entry
    /// such as the default route may be missing) is asked for again; if it never settles, the last answer is used.</summary>
    private async Task<IReadOnlyList<NetlinkMessage>> DumpAsync(NetlinkSocket socket, ushort type, byte[] buffer,
        CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            IReadOnlyList<NetlinkMessage> answer = await RequestAsync(socket, NetlinkParser.DumpRequest(type, NextSequence()), buffer,
                cancellationToken).ConfigureAwait(false);
            if (attempt == DumpAttempts || !answer.Any(message => (message.Flags & NLM_F_DUMP_INTR) != 0))
            {
                return answer;
            }
        }
    }

    /// <summary>Sends one request and collects its answer: up to NLMSG_DONE for a dump, else the one reply or error.</summary>
    private async Task<IReadOnlyList<NetlinkMessage>> RequestAsync(NetlinkSocket socket, byte[] request, byte[] buffer,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RequestTimeout);
        uint sequence = BitConverter.ToUInt32(request, 8);
        try
        {
            await socket.SendAsync(request, deadline.Token).ConfigureAwait(false);
            var answer = new List<NetlinkMessage>();
            while (true)
            {
                int length = await socket.ReceiveAsync(buffer, deadline.Token).ConfigureAwait(false);
                if (length <= 0)
                {
                    throw new IOException("the netlink socket closed");
                }

                foreach (NetlinkMessage message in NetlinkParser.Parse(buffer.AsSpan(0, length)))
                {
                    if (message.Sequence != sequence)
                    {
                        continue; // a late answer to an earlier, timed-out request
                    }

                    if (message is DoneMessage or ErrorMessage || (message.Flags & NLM_F_MULTI) == 0)
                    {
                        answer.Add(message);
                        return answer;
                    }
                    answer.Add(message);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the kernel did not answer a netlink request within {RequestTimeout}");
        }
    }

    private uint NextSequence() => Interlocked.Increment(ref _sequence);

    [LoggerMessage(EventId = EventIds.NetworkFollowing, Level = LogLevel.Debug, Message = "Following routes and addresses: {State}")]
    private static partial void LogFollowing(ILogger logger, string state);

    [LoggerMessage(EventId = EventIds.NetworkUnavailable, Level = LogLevel.Warning, Message = "Cannot follow routes and addresses ({Reason}); network changes are noticed only by dead-peer detection. Retrying")]
    private static partial void LogUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = EventIds.NetworkChange, Level = LogLevel.Information, Message = "Network {Kind}: {Reason}")]
    private static partial void LogChange(ILogger logger, NetworkChangeKind kind, string reason);
}
