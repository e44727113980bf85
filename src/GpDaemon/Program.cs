using GpDaemon;
using GpDaemon.Config;
using GpDaemon.Control;
using GpDaemon.Lifecycle;
using GpTunnel.Interop;

DaemonCommandLine commandLine;
try
{
    commandLine = DaemonCommandLine.Parse(args);
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"gpdaemon: {ex.Message}");
    Console.Error.WriteLine("Try 'gpdaemon --help'.");
    return DaemonExitCode.Usage;
}
if (commandLine.Help)
{
    Console.WriteLine(DaemonCommandLine.Usage);
    return DaemonExitCode.Ok;
}
if (commandLine.Version)
{
    Console.WriteLine($"gpdaemon {DaemonInfo.Version}");
    return DaemonExitCode.Ok;
}

DaemonPaths paths = DaemonPaths.Resolve(commandLine.Config, commandLine.RuntimeDirectory, commandLine.StateDirectory, commandLine.Socket, commandLine.Instance);
DaemonConfig config;
IReadOnlyList<string> configWarnings;
try
{
    config = ConfigReader.Load(paths.ConfigFile, out configWarnings);
}
catch (ConfigException ex)
{
    Console.Error.WriteLine($"gpdaemon: configuration error: {ex.Message}");
    return DaemonExitCode.ConfigError;
}

// Secrets live in this process's memory: no core dumps, no ptrace by other users.
Native.prctl(Native.PR_SET_DUMPABLE, 0, 0, 0, 0);

// Nothing another user controls is trusted (as OpenSSH's StrictModes): every directory the daemon writes to, and
// its parents, must be root's or ours and writable by nobody else. The runtime directory is searchable by all (the
// socket) but listable by its owner only; see InstanceLock.
try
{
    const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    const UnixFileMode Searchable = Private | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    TrustedDirectory.Prepare(paths.RuntimeDirectory, Searchable, "runtime directory");
    TrustedDirectory.Prepare(Path.Combine(paths.RuntimeDirectory, "tunnel"), Private, "runtime directory");
    TrustedDirectory.Prepare(paths.StateDirectory, Private, "state directory");
    TrustedDirectory.Prepare(Path.GetDirectoryName(paths.SocketPath)!, Searchable | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "socket directory");
}
catch (ConfigException ex)
{
    Console.Error.WriteLine($"gpdaemon: configuration error: {ex.Message}.");
    return DaemonExitCode.ConfigError;
}

InstanceLock instanceLock;
try
{
    switch (InstanceLock.TryAcquire(paths.PidFile))
    {
        case InstanceLockResult.Held { Owner: { IsGpdaemon: true } owner }:
            Console.Error.WriteLine($"gpdaemon: already running (pid {owner.Pid}, lock {paths.PidFile}).");
            Console.Error.WriteLine("Use 'gpctl status' to talk to it, or stop it first ('systemctl stop gpdaemon').");
            return DaemonExitCode.AlreadyRunning;
        case InstanceLockResult.Held { Owner: { } owner } held:
            // Not "already running": a restart may well succeed once that process lets go, so this is a plain failure.
            Console.Error.WriteLine($"gpdaemon: {held.LockPath} is locked by pid {owner.Pid} ({owner.Name ?? "name unknown"}), which is not gpdaemon.");
            Console.Error.WriteLine($"Stop that process (see 'ps -p {owner.Pid} -o user,args'); gpdaemon cannot start while it holds the lock.");
            return DaemonExitCode.Failure;
        case InstanceLockResult.Held held:
            Console.Error.WriteLine($"gpdaemon: {held.LockPath} is locked by a process that could not be identified.");
            Console.Error.WriteLine($"'fuser -v {held.LockPath}' may name it; gpdaemon cannot start while it holds the lock.");
            return DaemonExitCode.Failure;
        case InstanceLockResult.Acquired acquired:
            instanceLock = acquired.Lock;
            if (instanceLock.DirectoryHeldBy is { } holder)
            {
                Console.Error.WriteLine($"gpdaemon: warning: {paths.RuntimeDirectory} is locked by pid {holder.Pid} ({holder.Name ?? "name unknown"}), which is not gpdaemon; "
                    + $"started on the lock of {paths.PidFile} alone. Stop that process.");
            }
            break;
        default:
            throw new InvalidOperationException();
    }
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"gpdaemon: {ex.Message}");
    return DaemonExitCode.Failure;
}

using (instanceLock)
{
    return await DaemonHost.RunAsync(paths, config, configWarnings, instanceLock);
}
