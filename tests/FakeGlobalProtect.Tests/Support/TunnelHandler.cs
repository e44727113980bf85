namespace FakeGlobalProtect.Tests.Support;

/// <summary>
/// A --script-tun handler in a temporary folder: sends one prepared packet into the tunnel through
/// $VPNFD, keeps the first two packets that come out of it, saves its environment, then drains $VPNFD
/// until openconnect closes it (a handler that exits makes openconnect fail on the next packet).
/// </summary>
public sealed class TunnelHandler : IDisposable
{
    private TunnelHandler(string directory) => Directory = directory;

    public string Directory { get; }

    public string ScriptPath => Path.Combine(Directory, "handler.sh");

    public string EnvironmentPath => Path.Combine(Directory, "env.txt");

    public string IncomingPath(int index) => Path.Combine(Directory, $"incoming{index}.bin");

    public static TunnelHandler Create(byte[] outgoingPacket)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("fakegp-tunnel-").FullName;
        File.WriteAllBytes(Path.Combine(directory, "outgoing.bin"), outgoingPacket);
        var script = $"""
            #!/bin/sh
            dir='{directory}'
            # $VPNFD is a datagram socket: one write is one packet, one read returns one packet.
            cat "$dir/outgoing.bin" >&"$VPNFD"
            dd bs=65536 count=1 <&"$VPNFD" of="$dir/incoming1.tmp" 2>/dev/null && mv "$dir/incoming1.tmp" "$dir/incoming1.bin"
            dd bs=65536 count=1 <&"$VPNFD" of="$dir/incoming2.tmp" 2>/dev/null && mv "$dir/incoming2.tmp" "$dir/incoming2.bin"
            env > "$dir/env.tmp" && mv "$dir/env.tmp" "$dir/env.txt"
            exec cat <&"$VPNFD" >/dev/null
            """;
        File.WriteAllText(Path.Combine(directory, "handler.sh"), script.Replace("\r\n", "\n", StringComparison.Ordinal));
        File.SetUnixFileMode(Path.Combine(directory, "handler.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new TunnelHandler(directory);
    }

    /// <summary>Waits (polling, generous limit) until the handler has written <paramref name="path"/>.</summary>
    public static async Task<byte[]> WaitForFileAsync(string path)
    {
        using var cts = new CancellationTokenSource(ChildProcess.DefaultTimeout);
        while (!File.Exists(path))
        {
            await Task.Delay(50, cts.Token);
        }

        return await File.ReadAllBytesAsync(path, cts.Token);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
