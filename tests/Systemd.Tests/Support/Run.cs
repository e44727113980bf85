using System.Diagnostics;

namespace Systemd.Tests.Support;

/// <summary>Runs a program to completion with its output captured, bounded so that a hang fails the test instead of the run.</summary>
internal static class Run
{
    public static async Task<ProcessResult> ProgramAsync(string fileName, IEnumerable<string> args, string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null, bool cleanEnvironment = false, TimeSpan? timeout = null)
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
            foreach ((string key, string value) in environment)
            {
                info.Environment[key] = value;
            }
        }
        using var process = Process.Start(info)!;
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
}
