using GpDaemon.Backend;
using GpDaemon.Config;
using GpDaemon.Connection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GpDaemon.Tests.Support;

internal static class Controllers
{
    public const string Portal = "vpn.example.com";

    public static ConnectionStateMachine Create(FakeBackend backend, TimeProvider? time = null, ReconnectSettings? reconnect = null) =>
        new(backend, reconnect ?? new ReconnectSettings(), time ?? new FakeTimeProvider(), NullLogger<ConnectionStateMachine>.Instance);

    /// <summary>
    /// Connects as uid 1000 (with <paramref name="request"/>, else <see cref="Request"/>) and brings the first tunnel up;
    /// returns that tunnel once the state is Connected.
    /// </summary>
    public static async Task<FakeTunnel> ConnectedAsync(ConnectionStateMachine machine, FakeBackend backend, StateWatcher watcher, ConnectRequest? request = null)
    {
        machine.Connect(request ?? Request(), 1000);
        return await NextTunnelUpAsync(backend, watcher);
    }

    /// <summary>Brings the next tunnel the machine starts up; returns it once the state is Connected.</summary>
    public static async Task<FakeTunnel> NextTunnelUpAsync(FakeBackend backend, StateWatcher watcher)
    {
        FakeTunnel tunnel = await backend.NextTunnelAsync();
        tunnel.Up();
        await watcher.WaitForAsync(ConnectionState.Connected);
        return tunnel;
    }

    public static ConnectRequest Request(string? password = null, string? user = "alice") => new(Portal, user, password, null);
}
