using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GpDaemon.TestSupport;

namespace Systemd.Tests.Support;

/// <summary>
/// A throwaway container that boots this machine's own systemd with systemd-nspawn, so that gpdaemon.service runs
/// under a real service manager even where PID 1 is not systemd. The container's
/// / and /etc are an empty tmpfs, /usr is the host's (dotnet, openconnect, systemd), and it shares the host's
/// network namespace unless given one: a fake portal on the host's 127.0.0.1 is reachable, and tunnel devices appear on
/// the host.
/// Commands run inside through nsenter; disposing powers the container off (and kills it if that hangs).
/// </summary>
internal sealed class SystemdContainer : IAsyncDisposable
{
    /// <summary>A host path bound into the container before it boots.</summary>
    public sealed record Bind(string HostPath, string ContainerPath, bool ReadOnly = true);

    private const int ConsoleLinesKept = 200;

    private static readonly Dictionary<string, string?> InsideEnvironment = new()
    {
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["HOME"] = "/root",
        ["LANG"] = "C.UTF-8",
        ["TERM"] = "dumb",
        ["SYSTEMD_PAGER"] = "cat",
        ["SYSTEMD_COLORS"] = "0",
    };

    private readonly Process _nspawn;
    private readonly Queue<string> _console = new();

    private SystemdContainer(Process nspawn, string machineName)
    {
        _nspawn = nspawn;
        MachineName = machineName;
        nspawn.OutputDataReceived += (_, e) => OnConsole(e.Data);
        nspawn.ErrorDataReceived += (_, e) => OnConsole(e.Data);
        nspawn.BeginOutputReadLine();
        nspawn.BeginErrorReadLine();
    }

    public string MachineName { get; }

    /// <summary>The host pid of the container's PID 1 (systemd).</summary>
    public int InitPid { get; private set; }

    /// <summary>The last lines systemd-nspawn and the container's console printed.</summary>
    public string Console
    {
        get
        {
            lock (_console)
            {
                return string.Join('\n', _console);
            }
        }
    }

    /// <summary>Boots the container and waits until systemd reports running or degraded.</summary>
    /// <param name="tunDevice">Bind /dev/net/tun and grant CAP_NET_ADMIN, so that openconnect can make a real tunnel.</param>
    /// <param name="writableUsr">Put a throwaway overlay over the host's /usr, so that dpkg can install into the container;
    /// the writes land in a temporary directory systemd-nspawn removes, never in the host's /usr.</param>
    /// <param name="usrLayers">Host directories laid over the host's /usr inside the container only (an unpacked package's
    /// usr/ tree: software the tests need that must not be installed on the host).</param>
    /// <param name="networkNamespace">A network namespace the test made (/run/netns/NAME) for the container to live in
    /// instead of the host's.</param>
    public static async Task<SystemdContainer> BootAsync(IEnumerable<Bind> binds, bool tunDevice = true, bool writableUsr = false,
        IReadOnlyList<string>? usrLayers = null, string? networkNamespace = null)
    {
        string machine = UniqueName.Next("gpdtest-");
        var info = new ProcessStartInfo("systemd-nspawn")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // --keep-unit --register=no: no systemd or machined runs on the host to register with.
        List<string> args = ["--keep-unit", "--register=no", "--volatile=yes", "--directory=/", "--machine=" + machine, "--console=read-only"];
        if (tunDevice)
        {
            args.AddRange(["--bind=/dev/net/tun", "--capability=CAP_NET_ADMIN"]);
        }
        if (networkNamespace is not null)
        {
            args.Add("--network-namespace-path=" + networkNamespace);
        }
        string layers = string.Concat((usrLayers ?? []).Select(layer => layer + ":"));
        if (writableUsr)
        {
            // An empty upper directory: systemd-nspawn makes a temporary one.
            args.Add($"--overlay=/usr:{layers}:/usr");
        }
        else if (layers.Length > 0)
        {
            args.Add($"--overlay-ro=/usr:{layers}/usr");
        }
        foreach (Bind bind in binds)
        {
            args.Add($"{(bind.ReadOnly ? "--bind-ro" : "--bind")}={bind.HostPath}:{bind.ContainerPath}");
        }
        // Without systemd.firstboot=off the empty /etc makes the boot stop at an interactive first-boot prompt.
        args.AddRange(["--boot", "systemd.firstboot=off"]);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        Process nspawn;
        try
        {
            nspawn = Process.Start(info)!;
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException("cannot run systemd-nspawn (apt-get install systemd-container): " + ex.Message, ex);
        }
        nspawn.StandardInput.Close();
        var container = new SystemdContainer(nspawn, machine);
        try
        {
            container.InitPid = await container.FindInitAsync();
            await container.WaitForBootAsync();
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
        return container;
    }

    /// <summary>Runs a command inside the container (all its namespaces) with a clean environment.</summary>
    public Task<ProcessResult> ExecAsync(IEnumerable<string> argv, string? stdin = null, TimeSpan? timeout = null) =>
        Run.ProgramAsync("nsenter", ["--target", InitPid.ToString(CultureInfo.InvariantCulture), "--all", "--", .. argv],
            stdin, InsideEnvironment, cleanEnvironment: true, timeout ?? TimeSpan.FromSeconds(90));

    public Task<ProcessResult> ExecAsync(params string[] argv) => ExecAsync((IEnumerable<string>)argv);

    public Task<ProcessResult> SystemctlAsync(params string[] args) => ExecAsync(["systemctl", "--no-pager", .. args]);

    /// <summary>One property of a unit, as `systemctl show -p NAME --value` prints it.</summary>
    public async Task<string> ShowAsync(string unit, string property)
    {
        ProcessResult result = await SystemctlAsync("show", "--property=" + property, "--value", unit);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"systemctl show {property} {unit} failed: {result}");
        }
        return result.Stdout.Trim();
    }

    /// <summary>The journal entries of a unit (journalctl -u UNIT -o json), string fields only, oldest first.</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> JournalAsync(string unit, params string[] matches)
    {
        ProcessResult result = await ExecAsync(["journalctl", "--no-pager", "--output=json", "--unit=" + unit, .. matches]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"journalctl -u {unit} failed: {result}");
        }
        var entries = new List<IReadOnlyDictionary<string, string>>();
        foreach (string line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using JsonDocument document = JsonDocument.Parse(line);
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                // Binary or repeated fields come as arrays; the tests only look at text fields.
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    fields[property.Name] = property.Value.GetString()!;
                }
            }
            entries.Add(fields);
        }
        return entries;
    }

    /// <summary>Pids (inside the container) of the live, non-zombie processes whose command name is <paramref name="name"/>.</summary>
    public async Task<IReadOnlyList<int>> ProcessesAsync(string name) =>
        [.. (await ProcessTableAsync()).Where(p => p.Command == name).Select(p => p.Pid)];

    /// <summary>Live, non-zombie processes inside the container (pids as the container sees them).</summary>
    public async Task<IReadOnlyList<(int Pid, int ParentPid, string Command)>> ProcessTableAsync()
    {
        ProcessResult result = await ExecAsync("ps", "-e", "--no-headers", "-o", "pid=,ppid=,stat=,comm=");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("ps failed: " + result);
        }
        var processes = new List<(int, int, string)>();
        foreach (string line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 4 && !fields[2].StartsWith('Z'))
            {
                processes.Add((int.Parse(fields[0], CultureInfo.InvariantCulture), int.Parse(fields[1], CultureInfo.InvariantCulture), fields[3].Trim()));
            }
        }
        return processes;
    }

    /// <summary>What to print when an assertion about a unit fails: its status, recent journal and the console.</summary>
    public async Task<string> DescribeAsync(string unit)
    {
        ProcessResult status = await SystemctlAsync("status", "--lines=0", unit);
        ProcessResult journal = await ExecAsync("journalctl", "--no-pager", "--lines=60", "--unit=" + unit);
        return $"--- systemctl status {unit}\n{status.Output}\n--- journal\n{journal.Output}\n--- console\n{Console}";
    }

    private async Task<int> FindInitAsync()
    {
        // The container's PID 1 is a child of systemd-nspawn and is pid 1 in its own pid namespace.
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_nspawn.HasExited)
            {
                throw new InvalidOperationException($"systemd-nspawn exited with {_nspawn.ExitCode} before the container started:\n{Console}");
            }
            foreach (string dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out int pid))
                {
                    continue;
                }
                try
                {
                    string status = File.ReadAllText(Path.Combine(dir, "status"));
                    string? ppid = Field(status, "PPid:");
                    string? nsPid = Field(status, "NSpid:");
                    if (ppid == _nspawn.Id.ToString(CultureInfo.InvariantCulture) && nsPid?.Split('\t', ' ').LastOrDefault() == "1")
                    {
                        return pid;
                    }
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the container's init never appeared under systemd-nspawn (pid {_nspawn.Id}):\n{Console}");
    }

    private static string? Field(string status, string name)
    {
        foreach (string line in status.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal))
            {
                return line[name.Length..].Trim();
            }
        }
        return null;
    }

    private async Task WaitForBootAsync()
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            if (_nspawn.HasExited)
            {
                throw new InvalidOperationException($"the container stopped while booting (systemd-nspawn exit {_nspawn.ExitCode}):\n{Console}");
            }
            ProcessResult state = await ExecAsync(["systemctl", "is-system-running"], timeout: TimeSpan.FromSeconds(30));
            last = state.Output.Trim();
            if (last is "running" or "degraded")
            {
                return;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the container never finished booting (last state: {last}):\n{Console}");
    }

    private void OnConsole(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_console)
        {
            _console.Enqueue(line);
            while (_console.Count > ConsoleLinesKept)
            {
                _console.Dequeue();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_nspawn.HasExited)
        {
            // systemd-nspawn turns SIGTERM into an orderly poweroff of the container.
            Signals.Send(_nspawn.Id, Signals.SIGTERM);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _nspawn.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                // Killing the container's PID 1 ends its whole pid namespace.
                if (InitPid > 0)
                {
                    Signals.Send(InitPid, Signals.SIGKILL);
                }
                Signals.Send(_nspawn.Id, Signals.SIGKILL);
                await _nspawn.WaitForExitAsync();
            }
        }
        _nspawn.Dispose();
    }
}
