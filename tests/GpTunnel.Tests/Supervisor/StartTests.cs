using System.Globalization;
using GpTunnel.Tests.Support;
using Tmds.Linux;

namespace GpTunnel.Tests.Supervisor;

public sealed class StartTests
{
    [Fact]
    public async Task Cookie_goes_to_stdin_only_and_stdin_is_closed_after_it()
    {
        await using var setup = new StandInSetup(new StandInBehavior());
        var tunnel = await setup.StartAsync();

        Assert.Equal(StandInSetup.Cookie, await setup.StandIn.WaitForRecordAsync("stdin"));
        var environment = await setup.StandIn.WaitForRecordAsync("env");
        var argv = string.Join('\n', setup.StandIn.Argv);
        Assert.DoesNotContain(StandInSetup.AuthCookieValue, argv, StringComparison.Ordinal);
        Assert.DoesNotContain(StandInSetup.AuthCookieValue, environment, StringComparison.Ordinal);
        // The stand-in's second read returned end of file instead of blocking.
        Assert.Null(setup.StandIn.ReadRecord("stdin-extra"));
        Assert.Equal(tunnel.ProcessId.ToString(CultureInfo.InvariantCulture),
            (await setup.StandIn.WaitForRecordAsync("pid")).Trim());
    }

    [Fact]
    public async Task Argv_is_the_documented_command_line_with_the_gateway_after_double_dash()
    {
        await using var setup = new StandInSetup(new StandInBehavior(),
            o => o with { Interface = "gptest0", Mtu = 1300, ExtraArgs = ["--no-dtls"] });
        await setup.StartAsync("vpn.example.com:8443");
        await setup.StandIn.WaitForRecordAsync("argv");

        Assert.Equal(
            [
                "--protocol=gp", "--cookie-on-stdin", "--non-inter", "--servercert", "pin-sha256:AAAA",
                "--script", $"exec '{Path.Combine(setup.Options.RuntimeDirectory, "vpnc-wrapper.sh")}'",
                "--interface", "gptest0", "--mtu", "1300", "--os", "linux-64", "--no-dtls", "--", "vpn.example.com:8443",
            ],
            setup.StandIn.Argv);
    }

    [Fact]
    public async Task Child_leads_its_own_session_and_process_group()
    {
        await using var setup = new StandInSetup(new StandInBehavior());
        var tunnel = await setup.StartAsync();
        await setup.StandIn.WaitForRecordAsync("waiting");

        var fields = File.ReadAllText($"/proc/{tunnel.ProcessId}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[2] = pgrp, fields[3] = session
        Assert.Equal(tunnel.ProcessId.ToString(CultureInfo.InvariantCulture), fields[2]);
        Assert.Equal(tunnel.ProcessId.ToString(CultureInfo.InvariantCulture), fields[3]);
        Assert.NotEqual(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), fields[3]);
    }

    [Fact]
    public async Task Child_inherits_no_descriptors_beyond_stdio()
    {
        using var marker = new TempDirectory();
        var markerFile = marker.Combine("inheritable");
        await using var stream = File.Create(markerFile);
        // dup() clears close-on-exec: this descriptor would leak into a naive fork/exec.
        var leaky = LibC.dup((int)stream.SafeFileHandle.DangerousGetHandle());
        Assert.True(leaky > 2);
        try
        {
            await using var setup = new StandInSetup(new StandInBehavior());
            var tunnel = await setup.StartAsync();
            await setup.StandIn.WaitForRecordAsync("waiting");

            var descriptors = new DirectoryInfo($"/proc/{tunnel.ProcessId}/fd").GetFileSystemInfos()
                .ToDictionary(f => int.Parse(f.Name, CultureInfo.InvariantCulture), f => f.LinkTarget ?? "");

            Assert.StartsWith("pipe:", descriptors[0], StringComparison.Ordinal);
            Assert.StartsWith("socket:", descriptors[1], StringComparison.Ordinal);
            Assert.StartsWith("socket:", descriptors[2], StringComparison.Ordinal);
            Assert.DoesNotContain(markerFile, descriptors.Values);
            // Besides stdio the shell only holds its own script open.
            Assert.All(descriptors.Where(d => d.Key > 2), d => Assert.Equal(setup.StandIn.Path, d.Value));
        }
        finally
        {
            LibC.close(leaky);
        }
    }

    [Fact]
    public async Task Environment_drops_systemd_plumbing_and_forces_untranslated_messages()
    {
        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", "/run/systemd/notify");
        Environment.SetEnvironmentVariable("WATCHDOG_USEC", "30000000");
        try
        {
            await using var setup = new StandInSetup(new StandInBehavior());
            await setup.StartAsync();
            var environment = (await setup.StandIn.WaitForRecordAsync("env")).Split('\n');

            Assert.DoesNotContain(environment, l => l.StartsWith("NOTIFY_SOCKET=", StringComparison.Ordinal));
            Assert.DoesNotContain(environment, l => l.StartsWith("WATCHDOG_USEC=", StringComparison.Ordinal));
            Assert.Contains("LC_ALL=C.UTF-8", environment);
            Assert.Contains(environment, l => l.StartsWith("PATH=", StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", null);
            Environment.SetEnvironmentVariable("WATCHDOG_USEC", null);
        }
    }

    [Fact]
    public async Task Missing_binary_is_reported_with_the_install_hint()
    {
        using var directory = new TempDirectory();
        var supervisor = new OpenConnectSupervisor(
            new OpenConnectOptions { Path = directory.Combine("openconnect"), RuntimeDirectory = directory.Combine("run") },
            new RecordingLogger<OpenConnectSupervisor>());

        var error = await Assert.ThrowsAsync<OpenConnectNotFoundException>(() =>
            supervisor.StartAsync(new TunnelStartInfo("gw.example.com", "authcookie=x", null, null), EventReader.Deadline()));

        Assert.Equal(
            $"openconnect not found at {directory.Combine("openconnect")}: install the Debian package 'openconnect' (apt install openconnect)",
            error.Message);
    }

    [Fact]
    public async Task Binary_without_execute_permission_counts_as_missing()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("openconnect");
        await File.WriteAllTextAsync(path, "#!/bin/sh\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // root may execute any file that has at least one execute bit; this one has none.
        var supervisor = new OpenConnectSupervisor(
            new OpenConnectOptions { Path = path, RuntimeDirectory = directory.Combine("run") },
            new RecordingLogger<OpenConnectSupervisor>());

        await Assert.ThrowsAsync<OpenConnectNotFoundException>(() =>
            supervisor.StartAsync(new TunnelStartInfo("gw.example.com", "authcookie=x", null, null), EventReader.Deadline()));
    }

    [Theory]
    [InlineData("--script=/tmp/evil")]
    [InlineData("gw.example.com --script=/tmp/evil")]
    [InlineData("")]
    public async Task Gateway_that_could_pass_as_an_option_is_refused(string gateway)
    {
        await using var setup = new StandInSetup(new StandInBehavior());
        await Assert.ThrowsAsync<ArgumentException>(() =>
            setup.Supervisor.StartAsync(new TunnelStartInfo(gateway, "authcookie=x", null, null), EventReader.Deadline()));
    }

    [Fact]
    public async Task Cookie_with_a_line_break_is_refused_without_echoing_it()
    {
        await using var setup = new StandInSetup(new StandInBehavior());
        var error = await Assert.ThrowsAsync<ArgumentException>(() => setup.Supervisor.StartAsync(
            new TunnelStartInfo("gw.example.com", "authcookie=topsecret\nsecond", null, null), EventReader.Deadline()));
        Assert.DoesNotContain("topsecret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pid_file_names_the_child_while_it_runs_and_is_removed_after_exit()
    {
        await using var setup = new StandInSetup(new StandInBehavior());
        var tunnel = await setup.StartAsync();

        var lines = (await File.ReadAllTextAsync(setup.PidFile)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(tunnel.ProcessId.ToString(CultureInfo.InvariantCulture), lines[0]);
        Assert.Equal(2, lines.Length);

        await tunnel.StopAsync(EventReader.Deadline());
        Assert.False(File.Exists(setup.PidFile));
    }

    [Fact]
    public async Task Runtime_directory_is_created_private_and_the_wrapper_is_owner_only()
    {
        await using var setup = new StandInSetup(new StandInBehavior());
        await setup.StartAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(setup.Options.RuntimeDirectory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(Path.Combine(setup.Options.RuntimeDirectory, "vpnc-wrapper.sh")));
    }

    [Fact]
    public async Task World_writable_runtime_directory_is_refused()
    {
        await using var setup = new StandInSetup(new StandInBehavior());
        Directory.CreateDirectory(setup.Options.RuntimeDirectory);
        File.SetUnixFileMode(setup.Options.RuntimeDirectory, (UnixFileMode)0b111_111_111);

        await Assert.ThrowsAsync<InvalidOperationException>(() => setup.StartAsync());
    }

    [Fact]
    public async Task A_runtime_directory_owned_by_another_user_is_refused_even_when_private()
    {
        // Its owner could replace the wrapper script that openconnect runs as root.
        await using var setup = new StandInSetup(new StandInBehavior());
        Directory.CreateDirectory(setup.Options.RuntimeDirectory);
        File.SetUnixFileMode(setup.Options.RuntimeDirectory, (UnixFileMode)0x1c0 /* 0700 */);
        using (var chown = System.Diagnostics.Process.Start("chown", ["65534", setup.Options.RuntimeDirectory]))
        {
            await chown.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            Assert.Equal(0, chown.ExitCode);
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => setup.StartAsync());
        Assert.Contains("owned by uid 65534", ex.Message);
        Assert.False(File.Exists(Path.Combine(setup.Options.RuntimeDirectory, "vpnc-wrapper.sh")));
    }
}
