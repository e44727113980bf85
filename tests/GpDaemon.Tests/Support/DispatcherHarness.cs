using System.Text;
using GpControl.Varlink;
using GpDaemon.Backend;
using GpDaemon.Config;
using GpDaemon.Connection;
using GpDaemon.Control;
using GpTunnel.Interop;
using Microsoft.Extensions.Logging.Abstractions;

namespace GpDaemon.Tests.Support;

/// <summary>A dispatcher over a real state machine with a fake backend, and the peers tests call it as.</summary>
internal sealed class DispatcherHarness : IAsyncDisposable
{
    /// <summary>The control group: one that exists on every Debian system, so the daemon's own group lookup finds it.</summary>
    public const string ControlGroup = "users";

    public static readonly uint ControlGroupId = Native.GetGroupId(ControlGroup) ?? throw new InvalidOperationException("no group 'users' here");

    /// <summary>Root, a member of the control group (supplementary), another member, and a user outside it.</summary>
    public static readonly PeerCredentials Root = new(101, 0, 0, []);
    public static readonly PeerCredentials Member = new(102, 1000, 1000, [4242, ControlGroupId]);
    public static readonly PeerCredentials OtherMember = new(103, 1001, ControlGroupId, []);
    public static readonly PeerCredentials Stranger = new(104, 2000, 2000, [4242]);

    public ConfigStore Config { get; }

    /// <param name="config">The daemon's configuration (portal, user, gateway defaults); the control group is always <see cref="ControlGroup"/>.</param>
    public DispatcherHarness(DaemonConfig? config = null)
    {
        Controller = Controllers.Create(Backend);
        var store = Config = new ConfigStore("/nonexistent/gpdaemon.toml", (config ?? new DaemonConfig()) with { ControlGroup = ControlGroup });
        Dispatcher = new ControlDispatcher(Controller, store, NullLogger<ControlDispatcher>.Instance);
    }

    public FakeBackend Backend { get; } = new();

    public ConnectionStateMachine Controller { get; }

    public ControlDispatcher Dispatcher { get; }

    /// <summary>Every reply of one call, parsed.</summary>
    public async Task<List<VarlinkReply>> CallAsync(string json, PeerCredentials? peer)
    {
        var replies = new List<VarlinkReply>();
        await foreach (VarlinkReply reply in StreamAsync(json, peer, Wait.Token()))
        {
            replies.Add(reply);
        }
        return replies;
    }

    public async Task<VarlinkReply> CallOneAsync(string json, PeerCredentials? peer) => Assert.Single(await CallAsync(json, peer));

    public async IAsyncEnumerable<VarlinkReply> StreamAsync(string json, PeerCredentials? peer,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        VarlinkCall call = VarlinkCall.Parse(Encoding.UTF8.GetBytes(json));
        await foreach (byte[] message in Dispatcher.HandleAsync(call, peer, cancellationToken))
        {
            Assert.Equal(0, message[^1]);
            yield return VarlinkReply.Parse(message.AsMemory(0, message.Length - 1));
        }
    }

    public ValueTask DisposeAsync() => Controller.DisposeAsync();
}
