using Tmds.DBus.Protocol;

namespace GpDaemon.TestSupport;

/// <summary>
/// A connection to a test bus that plays logind: it owns org.freedesktop.login1 (unless made as an impostor) and emits
/// PrepareForSleep from /org/freedesktop/login1, as systemd-logind does around a suspend.
/// </summary>
public sealed class StandInLoginManager : IDisposable
{
    private readonly DBusConnection _connection;

    private StandInLoginManager(DBusConnection connection) => _connection = connection;

    public string UniqueName => _connection.UniqueName!;

    /// <summary>Connects; with <paramref name="ownName"/> it takes org.freedesktop.login1 first.</summary>
    public static async Task<StandInLoginManager> ConnectAsync(string address, bool ownName, CancellationToken cancellationToken)
    {
        var connection = new DBusConnection(new DBusConnectionOptions(address) { AutoConnect = false });
        try
        {
            await connection.ConnectAsync().AsTask().WaitAsync(cancellationToken);
            if (ownName)
                await connection.RequestNameAsync("org.freedesktop.login1", RequestNameOptions.Default).WaitAsync(cancellationToken);
            return new StandInLoginManager(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Emits PrepareForSleep(<paramref name="start"/>), then makes a round trip to the bus, so the signal has
    /// been routed to every listener before this returns.</summary>
    public async Task PrepareForSleepAsync(bool start, CancellationToken cancellationToken)
    {
        MessageBuffer signal;
        using (MessageWriter writer = _connection.GetMessageWriter())
        {
            writer.WriteSignalHeader(destination: null, path: "/org/freedesktop/login1", @interface: "org.freedesktop.login1.Manager",
                member: "PrepareForSleep", signature: "b");
            writer.WriteBool(start);
            signal = writer.CreateMessage();
        }
        if (!_connection.TrySendMessage(signal))
            throw new InvalidOperationException("the stand-in's connection is closed");
        await _connection.ListServicesAsync().WaitAsync(cancellationToken);
    }

    public void Dispose() => _connection.Dispose();
}
