namespace GpDaemon.Sleep;

/// <summary>Where the system D-Bus is, as every D-Bus client finds it.</summary>
internal static class SystemBus
{
    public const string DefaultAddress = "unix:path=/var/run/dbus/system_bus_socket";

    /// <summary>$DBUS_SYSTEM_BUS_ADDRESS when set (a private bus in tests), else the standard socket.</summary>
    public static string Address(Func<string, string?> environment)
    {
        string? address = environment("DBUS_SYSTEM_BUS_ADDRESS");
        return string.IsNullOrWhiteSpace(address) ? DefaultAddress : address;
    }
}
