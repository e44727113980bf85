using GpDaemon.Sleep;

namespace GpDaemon.Tests.Sleep;

public sealed class SystemBusTests
{
    [Fact]
    public void The_address_comes_from_DBUS_SYSTEM_BUS_ADDRESS_when_set()
    {
        Assert.Equal("unix:path=/tmp/bus", SystemBus.Address(name => name == "DBUS_SYSTEM_BUS_ADDRESS" ? "unix:path=/tmp/bus" : null));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Otherwise_it_is_the_standard_system_bus_socket(string? value)
    {
        Assert.Equal("unix:path=/var/run/dbus/system_bus_socket", SystemBus.Address(_ => value));
    }
}
