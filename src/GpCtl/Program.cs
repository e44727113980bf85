using System.CommandLine;
using GpControl;
using GpCtl;

// $GPDAEMON_INSTANCE (like --instance, which the fast path does not take) names another daemon: the full path resolves it.
if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(InstanceName.EnvironmentVariable))
    && StatusFastPath.TryParse(args, out bool fastJson, out string? fastSocket)
    && StatusFastPath.TryRun(ControlDefaults.ResolveSocketPath(fastSocket), fastJson) is int fastExit)
{
    return fastExit;
}

var socketOption = new Option<string?>("--socket")
{
    Description = $"gpdaemon's control socket (default: ${ControlDefaults.SocketEnvironmentVariable} or {ControlDefaults.RuntimeDirectory}/{ControlDefaults.SocketFileName})",
    Recursive = true,
};
var instanceOption = new Option<string?>("--instance", "-i")
{
    Description = $"the instance NAME (gpdaemon@NAME.service) instead of the default gpdaemon.service (default: ${InstanceName.EnvironmentVariable})",
    Recursive = true,
};
var jsonOption = new Option<bool>("--json") { Description = "print JSON (one object per line)" };
var allOption = new Option<bool>("--all", "-a") { Description = "every instance and the default one, one line each (exit 0 if any is connected)" };

var statusCommand = new Command("status", "Show the connection (exit 0 if connected, 1 if not)") { jsonOption, allOption };
statusCommand.SetAction((result, ct) => result.GetValue(allOption)
    ? RunAll(result, root => Commands.StatusAllAsync(root, InstanceList.Find(root), result.GetValue(jsonOption), ct))
    : Run(result, socket => Commands.StatusAsync(socket, result.GetValue(jsonOption), ct)));

var portalArgument = new Argument<string?>("portal")
{
    Description = "portal address (host[:port]); default: the portal in gpdaemon's config",
    Arity = ArgumentArity.ZeroOrOne,
};
var userOption = new Option<string?>("--user", "-u") { Description = "user name (default: config, else asked)" };
var gatewayOption = new Option<string?>("--gateway", "-g") { Description = "gateway by name or address (default: best by priority)" };
var passwordOnStdinOption = new Option<bool>("--passwd-on-stdin")
{
    Description = "read the password from the first line of stdin (empty for single sign-on), and each further answer (one-time codes, the sign-in result) from the next lines",
};
var noWaitOption = new Option<bool>("--no-wait") { Description = "start connecting and return at once" };
var connectCommand = new Command("connect", "Connect to a GlobalProtect portal")
{
    portalArgument, userOption, gatewayOption, passwordOnStdinOption, noWaitOption,
};
connectCommand.SetAction((result, ct) => Run(result, socket => Commands.ConnectAsync(socket, new ConnectOptions(
    result.GetValue(portalArgument), result.GetValue(userOption), result.GetValue(gatewayOption),
    result.GetValue(passwordOnStdinOption), result.GetValue(noWaitOption)), ct)));

var forgetOption = new Option<bool>("--forget")
{
    Description = "also remove your saved session (portal cookie) for the portal: the next connect asks for the password",
};
var forgetPortalArgument = new Argument<string?>("portal")
{
    Description = "with --forget: the portal whose saved session to remove (default: the connection's, else the config's)",
    Arity = ArgumentArity.ZeroOrOne,
};
var disconnectCommand = new Command("disconnect", "Disconnect (openconnect logs out at the gateway)") { forgetOption, forgetPortalArgument };
disconnectCommand.SetAction((result, ct) => Run(result, socket => Commands.DisconnectAsync(socket,
    result.GetValue(forgetOption), result.GetValue(forgetPortalArgument), ct)));

var watchJsonOption = new Option<bool>("--json") { Description = "print JSON (one object per line)" };
var watchCommand = new Command("watch", "Follow state changes until interrupted") { watchJsonOption };
watchCommand.SetAction((result, ct) => Run(result, socket => Commands.WatchAsync(socket, result.GetValue(watchJsonOption), ct)));

var callbackArgument = new Argument<string>("link") { Description = "the globalprotectcallback: link, or the cookie" };
var callbackCommand = new Command("callback", "Complete a waiting single sign-on with the browser's result (the desktop's globalprotectcallback: handler)")
{
    callbackArgument,
};
callbackCommand.SetAction((result, ct) => Run(result, socket => Commands.CallbackAsync(socket, result.GetValue(callbackArgument)!, ct)));

var root = new RootCommand("""
    gpctl: control gpdaemon, the GlobalProtect VPN service.

    Exit codes: 0 ok; 1 failed (status: not connected); 2 usage; 3 daemon not reachable;
    4 already connected; 5 authentication failed; 77 permission denied.
    """)
{
    statusCommand, connectCommand, disconnectCommand, watchCommand, callbackCommand,
};
root.Options.Add(socketOption);
root.Options.Add(instanceOption);

ParseResult parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"gpctl: {error.Message}");
    }
    Console.Error.WriteLine("Try 'gpctl --help'.");
    return ExitCode.Usage;
}
return await parsed.InvokeAsync();

async Task<int> Run(ParseResult result, Func<string, Task<int>> command)
{
    string? instance = result.GetValue(instanceOption) is { Length: > 0 } given ? given
        : Environment.GetEnvironmentVariable(InstanceName.EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
    if (instance is not null && InstanceName.Validate(instance) is { } invalid)
    {
        Console.Error.WriteLine($"gpctl: --instance {instance}: {invalid}.");
        return ExitCode.Usage;
    }
    string socket = ControlDefaults.ResolveSocketPath(result.GetValue(socketOption), instance);
    try
    {
        return await command(socket);
    }
    catch (Exception ex) when (ex is not OperationCanceledException)
    {
        return ErrorReporter.Report(ex, Console.Error, instance is null ? "gpdaemon" : $"gpdaemon@{instance}");
    }
}

// status --all: the default daemon's runtime directory, whose subdirectories are the instances'.
Task<int> RunAll(ParseResult result, Func<string, Task<int>> command) =>
    Run(result, socket => command(Path.GetDirectoryName(Path.GetFullPath(ControlDefaults.ResolveSocketPath(result.GetValue(socketOption))))!));
