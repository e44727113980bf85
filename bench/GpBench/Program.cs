using System.Globalization;
using System.Runtime.InteropServices;
using GpBench;
using GpBench.Sections;
using GpBench.Support;
using GpDaemon.TestSupport;

// gpbench --out DIR [--compare DIR] [--results FILE] [--work DIR] [--command TEXT] [--openconnect PATH] [--quick]
//         [--only startup,status,memory,connect,resume,route,load,burst]
string? outDirectory = null, compare = null, results = null, work = null, command = "make bench", openconnect = "/usr/sbin/openconnect";
bool quick = false;
HashSet<string> only = [];
for (int i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--out": outDirectory = Path.GetFullPath(Value()); break;
        case "--compare": compare = Path.GetFullPath(Value()); break;
        case "--results": results = Path.GetFullPath(Value()); break;
        case "--work": work = Path.GetFullPath(Value()); break;
        case "--command": command = Value(); break;
        case "--openconnect": openconnect = Value(); break;
        case "--quick": quick = true; break;
        case "--only": only.UnionWith(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
        default:
            Console.Error.WriteLine($"gpbench: unknown argument '{args[i]}'");
            return 2;
    }
}
if (outDirectory is null)
{
    Console.Error.WriteLine("usage: gpbench --out DIR [--compare DIR] [--results bench/RESULTS.md] [--work DIR] [--quick]");
    return 2;
}
work ??= Directory.CreateTempSubdirectory("gpbench-").FullName;
var context = new BenchContext(outDirectory, compare, work, openconnect, quick);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
CancellationToken ct = cancel.Token;
bool Run(string section) => only.Count == 0 || only.Contains(section);

DateTimeOffset began = DateTimeOffset.UtcNow;
string loadBefore = ProcStat.LoadAverage();
var body = new Markdown();
const int MaxConnections = 512;

BenchContext.Progress("starting the fake portal");
await using (FakePortal portal = await FakePortal.StartAsync(context.FakePortal, "password", [], ct))
{
    if (Run("startup"))
    {
        BenchContext.Progress("daemon start to READY=1");
        int startRuns = quick ? 3 : 20;
        List<StartupBench.Result> startups = [await StartupBench.RunAsync(context, "NativeAOT", context.Gpdaemon, startRuns, ct)];
        if (compare is not null)
        {
            startups.Add(await StartupBench.RunAsync(context, "framework-dependent", Path.Combine(compare, "gpdaemon"), startRuns, ct));
        }
        StartupBench.Report(body, context, startups);
    }

    BenchContext.Progress("starting the daemon under test");
    string config = $"""
        servercert = "{portal.Pin}"

        [control]
        max_connections = {MaxConnections}

        [openconnect]
        path = "{openconnect}"
        script_tun = true
        """;
    await using Daemon daemon = await Daemon.StartAsync(context.Gpdaemon, context.Scratch("daemon"), config, ct);
    await Task.Delay(TimeSpan.FromSeconds(1), ct);

    if (Run("status"))
    {
        BenchContext.Progress("gpctl status next to socat and /bin/true (hyperfine)");
        await StatusLatencyBench.RunAsync(context, body, daemon.SocketPath, ct);
    }
    if (Run("memory"))
    {
        BenchContext.Progress("memory over repeated status calls");
        await MemoryBench.RunAsync(context, body, daemon.Pid, daemon.SocketPath, ct);
    }
    if (Run("connect"))
    {
        BenchContext.Progress("connect via the daemon vs openconnect alone");
        await ConnectBench.RunAsync(context, body, daemon, portal, ct);
    }
    if (Run("resume"))
    {
        BenchContext.Progress("recovery after a resume: the daemon told by logind vs openconnect's dead-peer detection");
        await ResumeBench.RunAsync(context, body, portal, ct);
    }
    if (Run("route"))
    {
        BenchContext.Progress("recovery when the default route comes back, in network namespaces");
        await RouteReturnBench.RunAsync(context, body, ct);
    }
    if (Run("load"))
    {
        // Last: it leaves the daemon's heap at its high-water mark.
        BenchContext.Progress("200 concurrent clients");
        TimeSpan duration = TimeSpan.FromSeconds(quick ? 2 : 10);
        List<LoadBench.Result> loads =
        [
            await LoadBench.RunAsync(daemon, 200, duration, connectionPerCall: false, ct),
            await LoadBench.RunAsync(daemon, 200, duration, connectionPerCall: true, ct),
        ];
        LoadBench.Report(body, context, loads, MaxConnections);
    }
    if (Run("burst"))
    {
        BenchContext.Progress("bursts of 200 and 1000 clients on the default limits");
        await using Daemon defaults = await Daemon.StartAsync(context.Gpdaemon, context.Scratch("defaults"), $"servercert = \"{portal.Pin}\"\n", ct);
        List<BurstBench.Result> bursts =
        [
            await BurstBench.RunAsync(defaults.SocketPath, 200, ct),
            await BurstBench.RunAsync(defaults.SocketPath, 1000, ct),
        ];
        BurstBench.Report(body, context, bursts);
    }

}

var report = new Markdown();
report.Line($"Measured {began:yyyy-MM-dd HH:mm} UTC with `{command}`{(quick ? " (--quick: fewer runs, not for the record)" : "")}.").Line();
report.Table(["machine", ""],
[
    ["CPU", $"{ProcStat.CpuModel()}, {Environment.ProcessorCount} cores"],
    ["memory", Markdown.MiB(ProcStat.MemTotalKiB())],
    ["system", $"Debian {ProcStat.Debian()}, Linux {ProcStat.Kernel()}, {RuntimeInformation.FrameworkDescription} (benchmark driver)"],
    ["load average (1/5/15 min)", $"{loadBefore} before, {ProcStat.LoadAverage()} after"],
    ["binaries", $"`{Shown(outDirectory)}`{(compare is null ? "" : $"; compared with `{Shown(compare)}`")}"],
]);
report.Heading("Targets");
report.Table(["target", "measured", "verdict"], context.Targets.Select(t => (IReadOnlyList<string>)[t.Target, t.Measured, Markdown.Verdict(t.Met)]));
report.Line(body.ToString().TrimEnd('\n'));

string text = report.ToString();
Console.Out.Write(text);
if (results is not null && !quick && only.Count == 0)
{
    ResultsFile.Splice(results, text);
    BenchContext.Progress($"wrote the measured part of {results}");
}
else if (results is not null)
{
    BenchContext.Progress($"a partial run (--quick or --only): {results} left as it was");
}
BenchContext.Progress(string.Create(CultureInfo.InvariantCulture, $"done in {(DateTimeOffset.UtcNow - began).TotalSeconds:0} s"));
Directory.Delete(work, recursive: true);
return 0;

// Paths in the report are relative to where bench ran (the repository), so the record names no one machine's directories.
static string Shown(string? path) => path is null ? "" : Path.GetRelativePath(Environment.CurrentDirectory, path);
