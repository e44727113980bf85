using System.Diagnostics;

namespace GlobalProtect.Tests.Support;

/// <summary>Runs the real openconnect binary once and collects its output.</summary>
internal static class OpenConnectProcess
{
    public const string Path = "/usr/sbin/openconnect";

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string? stdin, params string[] arguments)
    {
        Assert.True(File.Exists(Path), $"these tests need openconnect 9.01 at {Path} (apt-get install openconnect)");
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteLineAsync(stdin);
            }

            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
            var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
