using System.Diagnostics;

namespace GpDaemon.TestSupport;

/// <summary>
/// A real dbus-daemon on a socket in a private directory, configured like a system bus but open to everyone (the test
/// plays logind and any impostor). Clients find it through <see cref="Address"/> (DBUS_SYSTEM_BUS_ADDRESS). Disposing
/// stops it and removes the directory.
/// </summary>
public sealed class PrivateSystemBus : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly bool _ownsDirectory;

    private PrivateSystemBus(Process process, string directory, bool ownsDirectory, string address)
    {
        _process = process;
        _directory = directory;
        _ownsDirectory = ownsDirectory;
        Address = address;
    }

    public string Address { get; }

    /// <summary>Starts a bus; given <paramref name="directory"/> (the caller's, kept), at the same address as an
    /// earlier bus there, as a restarted system bus is.</summary>
    public static async Task<PrivateSystemBus> StartAsync(CancellationToken cancellationToken, string? directory = null)
    {
        bool ownsDirectory = directory is null;
        directory ??= Directory.CreateTempSubdirectory("gpd-bus-").FullName;
        string config = Path.Combine(directory, "bus.conf");
        await File.WriteAllTextAsync(config, $"""
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>system</type>
              <listen>unix:path={directory}/system_bus_socket</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow user="*"/>
                <allow own="*"/>
                <allow send_type="method_call"/>
                <allow send_type="signal"/>
                <allow send_type="method_return"/>
                <allow send_type="error"/>
                <allow receive_type="method_call"/>
                <allow receive_type="signal"/>
                <allow receive_type="method_return"/>
                <allow receive_type="error"/>
              </policy>
            </busconfig>
            """, cancellationToken);
        var start = new ProcessStartInfo("dbus-daemon")
        {
            ArgumentList = { "--config-file=" + config, "--nofork", "--nopidfile", "--print-address=1" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("dbus-daemon did not start");
        try
        {
            string? address = await process.StandardOutput.ReadLineAsync(cancellationToken);
            if (string.IsNullOrEmpty(address))
                throw new InvalidOperationException("dbus-daemon printed no address: " + await process.StandardError.ReadToEndAsync(cancellationToken));
            // The printed address carries the bus's guid, which a restarted bus does not share; clients of the system bus
            // name only its socket.
            return new PrivateSystemBus(process, directory, ownsDirectory, $"unix:path={directory}/system_bus_socket");
        }
        catch
        {
            process.Kill();
            process.Dispose();
            if (ownsDirectory)
                Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        _process.Dispose();
        File.Delete(Path.Combine(_directory, "system_bus_socket"));
        if (_ownsDirectory)
            Directory.Delete(_directory, recursive: true);
    }
}
