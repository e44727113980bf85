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

    public static ConnectRequest Request(string? password = null, string? user = "alice") => new(Portal, user, password, null);
}
