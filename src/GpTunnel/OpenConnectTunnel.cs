using System.Threading.Channels;
using GpTunnel.Launch;
using GpTunnel.Logging;
using GpTunnel.Output;
using Microsoft.Extensions.Logging;
using Tmds.Linux;

namespace GpTunnel;

/// <summary>
/// One running openconnect. Its events arrive on <see cref="Events"/> in order, ending with one
/// <see cref="TunnelExited"/>, after which the channel completes. Started by <see cref="OpenConnectSupervisor"/>.
/// </summary>
public sealed partial class OpenConnectTunnel : IAsyncDisposable
{
    private readonly ChildProcess _child;
    private readonly OpenConnectOptions _options;
    private readonly string _pidFilePath;
    private readonly SecretRedactor _redactor;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly TunnelTracker _tracker;
    private readonly Channel<TunnelEvent> _events = Channel.CreateUnbounded<TunnelEvent>(
        new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _stopping;
    private TunnelInfo? _info;

    internal OpenConnectTunnel(ChildProcess child, OpenConnectOptions options, string nonce, string pidFilePath,
        SecretRedactor redactor, ILogger logger)
    {
        _child = child;
        _options = options;
        _pidFilePath = pidFilePath;
        _redactor = redactor;
        _logger = logger;
        _tracker = new TunnelTracker(nonce, options.ScriptTun, TimeZoneInfo.Local);
        _ = MonitorAsync();
    }

    public int ProcessId => _child.ProcessId;

    /// <summary>Every event, in order; completes after <see cref="TunnelExited"/>.</summary>
    public ChannelReader<TunnelEvent> Events => _events.Reader;

    /// <summary>Latest known configuration; null until the tunnel first came up.</summary>
    public TunnelInfo? Info
    {
        get
        {
            lock (_gate)
            {
                return _info;
            }
        }
    }

    /// <summary>openconnect's exit code (128+N when killed by signal N). Completes after the
    /// <see cref="TunnelExited"/> event was written and the pid file removed.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>
    /// Sends exactly one SIGTERM (openconnect logs out at the gateway and exits 0), waits up to
    /// <see cref="OpenConnectOptions.StopTimeout"/>, then sends SIGKILL. Returns once openconnect is gone.
    /// Concurrent and repeated calls share the one stop. Cancelling abandons the wait, not the stop.
    /// </summary>
    public ValueTask StopAsync(CancellationToken cancellationToken)
    {
        Task stopping;
        lock (_gate)
        {
            stopping = _stopping ??= StopCoreAsync();
        }

        return new ValueTask(stopping.WaitAsync(cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _child.Dispose();
    }

    private async Task StopCoreAsync()
    {
        if (_child.Signal(LibC.SIGTERM))
        {
            Log.Stopping(_logger, ProcessId);
        }

        try
        {
            await _child.Exited.WaitAsync(_options.StopTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.Killing(_logger, ProcessId, _options.StopTimeout);
            _child.Signal(LibC.SIGKILL);
        }
        await _exited.Task.ConfigureAwait(false);
    }
}
