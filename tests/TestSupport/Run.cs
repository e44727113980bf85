using System.Diagnostics;

namespace GpDaemon.TestSupport;

/// <summary>Runs a program to completion with its output captured (and a bound, so a hang fails the test instead of the run).</summary>
public static class Run
{
    /// <param name="cleanEnvironment">Start from an empty environment (commands run inside a container).</param>
    public static async Task<ProcessResult> ProgramAsync(string fileName, IEnumerable<string> args, string? stdin = null,
        IReadOnlyDictionary<string, string?>? environment = null, bool cleanEnvironment = false, TimeSpan? timeout = null)
    {
        using var process = Process.Start(StartInfo(fileName, args, environment, cleanEnvironment))!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish: {await stdout} {await stderr}");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The program with stdin, stdout and stderr redirected, and the environment changes given.</summary>
    internal static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment,
        bool cleanEnvironment = false)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        if (cleanEnvironment)
        {
            info.Environment.Clear();
        }
        if (environment is not null)
        {
            foreach ((string key, string? value) in environment)
            {
                info.Environment[key] = value;
            }
        }
        return info;
    }

    /// <summary>gpctl against a daemon's socket.</summary>
    public static Task<ProcessResult> GpctlAsync(string socket, params string[] args) =>
        ProgramAsync(Binaries.Ctl, ["--socket", socket, .. args]);

    public static Task<ProcessResult> GpctlWithInputAsync(string socket, string stdin, params string[] args) =>
        ProgramAsync(Binaries.Ctl, ["--socket", socket, .. args], stdin);
}
