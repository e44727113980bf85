using System.Diagnostics;
using Tmds.Linux;

namespace GpDaemon.TestSupport;

/// <summary>
/// A network namespace the test creates (ip netns add) and deletes, with `ip -n` commands run in it, and
/// <see cref="Enter{T}"/> to create sockets inside it: a socket belongs to the namespace of the thread that made it.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    public static async Task<NetworkNamespace> CreateAsync(CancellationToken cancellationToken)
    {
        string name = $"gpdnl{Environment.ProcessId % 100000}x{Random.Shared.Next(100000)}";
        await RunAsync(["netns", "add", name], cancellationToken);
        var ns = new NetworkNamespace(name);
        await ns.IpAsync(cancellationToken, "link", "set", "lo", "up");
        return ns;
    }

    /// <summary>Runs `ip -n NAME ARGS...`; a failure throws with ip's message.</summary>
    public Task IpAsync(CancellationToken cancellationToken, params string[] args) => RunAsync(["-n", Name, .. args], cancellationToken);

    /// <summary>Runs several ip commands at once (ip -batch), so that the kernel sees them as one burst.</summary>
    public Task BatchAsync(IEnumerable<string> commands, CancellationToken cancellationToken) =>
        RunAsync(["-n", Name, "-batch", "-"], cancellationToken, string.Join('\n', commands) + "\n");

    /// <summary>Runs <paramref name="create"/> on a thread that joined the namespace (setns) and then ends.</summary>
    public T Enter<T>(Func<T> create)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{Name}");
                if (LibC.setns((int)handle.DangerousGetHandle(), LibC.CLONE_NEWNET) != 0)
                    throw new IOException($"setns({Name}) failed: errno {LibC.errno}");
                result = create();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
            throw failure;
        return result!;
    }

    public void Dispose()
    {
        using var ip = Process.Start("ip", ["netns", "del", Name]);
        ip.WaitForExit(10_000);
    }

    private static async Task RunAsync(string[] args, CancellationToken cancellationToken, string? input = null)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        using Process process = Process.Start(start)!;
        if (input is not null)
            await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken);
        process.StandardInput.Close();
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}");
    }
}
