using System.Diagnostics;
using System.Text.RegularExpressions;
using GpTunnel.Tests.Support;

namespace GpTunnel.Tests.RealOpenConnect;

/// <summary>The login the supervisor's caller does before it starts a tunnel, here done by the real openconnect.</summary>
internal static partial class OpenConnectLogin
{
    /// <summary>Logs in to <paramref name="fake"/> as its user with the real openconnect (--authenticate) and returns the cookie.</summary>
    public static async Task<string> AuthenticateAsync(this FakePortal fake)
    {
        var start = new ProcessStartInfo("/usr/sbin/openconnect")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "--protocol=gp", "--authenticate", "--non-inter", "--passwd-on-stdin", "-u", FakePortal.User,
                "--servercert", fake.Pin, fake.Address,
            },
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(fake.Password);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(EventReader.Patience);
        await process.WaitForExitAsync(timeout.Token);
        var match = CookiePattern().Match(await output);
        return match.Success
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"openconnect --authenticate failed: {await errors}");
    }

    [GeneratedRegex("^COOKIE='([^']*)'$", RegexOptions.Multiline)]
    private static partial Regex CookiePattern();
}
