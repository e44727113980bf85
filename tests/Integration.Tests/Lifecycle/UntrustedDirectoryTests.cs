using GpDaemon.TestSupport;

namespace Integration.Tests.Lifecycle;

/// <summary>
/// Trust no directory another user controls (OpenSSH's StrictModes): with one in the path the daemon refuses to start
/// (exit 78, naming it); and nothing planted beside the files it writes redirects a write.
/// </summary>
public sealed class UntrustedDirectoryTests
{
    private const int ConfigError = 78;

    /// <summary>A directory under sticky /tmp that another real user owns, as anyone could make one.</summary>
    private static async Task<string> AttackerDirectoryAsync(TempDirectory dir)
    {
        await TestUsers.EnsureAsync();
        string theirs = dir.Combine("theirs");
        Directory.CreateDirectory(theirs);
        ProcessResult chown = await Run.ProgramAsync("chown", [$"{TestUsers.Outsider}:", theirs]);
        Assert.True(chown.ExitCode == 0, chown.ToString());
        return theirs;
    }

    [Theory]
    [InlineData("--runtime-dir")]
    [InlineData("--state-dir")]
    [InlineData("--socket")]
    public async Task ADirectoryAnotherUserOwns_IsRefusedWithExit78_NamingIt(string option)
    {
        using var dir = new TempDirectory();
        string theirs = await AttackerDirectoryAsync(dir);
        File.WriteAllText(dir.Combine("gpdaemon.toml"), "");
        var args = new Dictionary<string, string>
        {
            ["--runtime-dir"] = dir.Combine("run"),
            ["--state-dir"] = dir.Combine("state"),
        };
        args[option] = option == "--socket" ? Path.Combine(theirs, "gpdaemon.sock") : Path.Combine(theirs, "d");

        ProcessResult result = await Run.ProgramAsync(Binaries.Daemon,
            ["--config", dir.Combine("gpdaemon.toml"), .. args.SelectMany(a => new[] { a.Key, a.Value })]);

        Assert.True(result.ExitCode == ConfigError, result.ToString());
        Assert.Contains($"{theirs} is owned by uid", result.Stderr);
        Assert.Contains("not by root", result.Stderr);
        // Nothing was created in there on the way.
        Assert.Empty(Directory.EnumerateFileSystemEntries(theirs));
    }

    [Fact]
    public async Task AGroupOrWorldWritableParent_IsRefused_ButARootOwnedStickyOneIsNot()
    {
        using var dir = new TempDirectory();
        string shared = dir.Combine("shared");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)0x1ff /* 0777 */);
        File.WriteAllText(dir.Combine("gpdaemon.toml"), "");
        string[] args = ["--config", dir.Combine("gpdaemon.toml"), "--runtime-dir", Path.Combine(shared, "run"), "--state-dir", dir.Combine("state")];

        ProcessResult refused = await Run.ProgramAsync(Binaries.Daemon, args);
        Assert.True(refused.ExitCode == ConfigError, refused.ToString());
        Assert.Contains($"{shared} is writable by others (mode 0777)", refused.Stderr);

        // Sticky and root's, like /tmp: others cannot replace what they do not own.
        File.SetUnixFileMode(shared, (UnixFileMode)0x3ff /* 1777 */);
        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path);
    }

    [Fact]
    public async Task ATunnelDirectoryAnotherUserOwns_IsRefused_EvenWhenPrivate()
    {
        // Its owner could replace the wrapper script that openconnect runs as root.
        await TestUsers.EnsureAsync();
        using var dir = new TempDirectory();
        string tunnel = dir.Combine("run", "tunnel");
        Directory.CreateDirectory(tunnel);
        File.SetUnixFileMode(tunnel, (UnixFileMode)0x1c0);
        ProcessResult chown = await Run.ProgramAsync("chown", [$"{TestUsers.Outsider}:", tunnel]);
        Assert.True(chown.ExitCode == 0, chown.ToString());

        await using DaemonProcess daemon = DaemonProcess.Start(dir.Path);
        Assert.Equal(ConfigError, await daemon.WaitForExitAsync());
        Assert.Contains($"unsafe runtime directory {tunnel}: {tunnel} is owned by uid", daemon.Output);
    }

    [Fact]
    public async Task SymlinksPlantedAtTheOldTemporaryNames_AreNotFollowed()
    {
        using var dir = new TempDirectory();
        await using FakePortal fake = await FakePortal.StartAsync("password");
        string precious = dir.Combine("precious");
        File.WriteAllText(precious, "keep me\n");
        // The names a writer with a fixed temporary name would use: the session file, openconnect's pid file, the wrapper.
        string sessions = dir.Combine("state", "sessions");
        Directory.CreateDirectory(sessions);
        File.SetUnixFileMode(dir.Combine("state"), (UnixFileMode)0x1c0);
        File.SetUnixFileMode(sessions, (UnixFileMode)0x1c0);
        // Saved per uid: the test runs gpctl as root.
        string sessionName = "session-uid0-" + fake.Address.ToLowerInvariant().Replace(":", "_3a", StringComparison.Ordinal) + ".json";
        string tunnel = dir.Combine("run", "tunnel");
        Directory.CreateDirectory(tunnel);
        File.SetUnixFileMode(tunnel, (UnixFileMode)0x1c0);
        string[] planted = [Path.Combine(sessions, sessionName + ".tmp"), Path.Combine(tunnel, "openconnect.pid.tmp"), Path.Combine(tunnel, "vpnc-wrapper.sh.tmp")];
        foreach (string link in planted)
        {
            File.CreateSymbolicLink(link, precious);
        }

        await using DaemonProcess daemon = await DaemonProcess.StartReadyAsync(dir.Path, fake.Config());
        ProcessResult connect = await Run.GpctlWithInputAsync(daemon.SocketPath, "secret\n", "connect", fake.Address, "--user", "test", "--passwd-on-stdin");
        Assert.True(connect.ExitCode == 0, connect + "\n" + daemon.Output);

        Assert.True(File.Exists(Path.Combine(sessions, sessionName)), string.Join(", ", Directory.EnumerateFiles(sessions)));
        Assert.Equal("keep me\n", File.ReadAllText(precious));
        await Run.GpctlAsync(daemon.SocketPath, "disconnect");
    }
}
