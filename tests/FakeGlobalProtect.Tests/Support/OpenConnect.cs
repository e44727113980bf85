namespace FakeGlobalProtect.Tests.Support;

/// <summary>Runs the real openconnect 9.01 (gp protocol) against a fake.</summary>
public static class OpenConnect
{
    public const string Path = "/usr/sbin/openconnect";

    /// <summary>openconnect --authenticate: log in, print COOKIE=/HOST=/..., exit.</summary>
    public static async Task<ChildProcess> AuthenticateAsync(FakeProcess fake, string stdin, params string[] extra)
    {
        var process = await StartAsync(
            ["--protocol=gp", "--authenticate", "--non-inter", "--passwd-on-stdin", "--servercert", fake.Pin, "-u", "test", .. extra, fake.Address],
            stdin);
        await process.WaitForExitAsync();
        return process;
    }

    /// <summary>
    /// openconnect bringing the tunnel up with a session cookie, without a tun device: traffic goes to
    /// <paramref name="script"/> through $VPNFD.
    /// </summary>
    public static Task<ChildProcess> ConnectWithCookieAsync(FakeProcess fake, string cookie, string script, params string[] extra) =>
        StartAsync(
            ["--protocol=gp", "--cookie-on-stdin", "--non-inter", "--servercert", fake.Pin, "--script-tun", "--script", script, .. extra, fake.Address],
            cookie + "\n");

    public static Task<ChildProcess> StartAsync(IEnumerable<string> arguments, string? stdin)
    {
        if (!File.Exists(Path))
        {
            throw new InvalidOperationException($"{Path} is missing: apt-get install openconnect");
        }

        return ChildProcess.StartAsync(Path, arguments, stdin);
    }

    /// <summary>The value of a NAME='value' line printed by --authenticate, or null.</summary>
    public static string? Value(ChildProcess process, string name)
    {
        var prefix = name + "='";
        var line = process.StdoutLines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal) && l.EndsWith('\''));
        return line?[prefix.Length..^1];
    }

    /// <summary>Logs in with the password and returns the session cookie.</summary>
    public static async Task<string> LoginAsync(FakeProcess fake)
    {
        await using var login = await AuthenticateAsync(fake, "secret\n");
        Assert.Equal(0, await login.WaitForExitAsync());
        return Value(login, "COOKIE") ?? throw new InvalidOperationException("no COOKIE line:\n" + login.Stdout);
    }
}
