using System.Net.Sockets;
using System.Text;
using GpTunnel.Leftover;
using GpTunnel.Logging;
using Microsoft.Extensions.Logging;

namespace GpTunnel;

public sealed partial class OpenConnectTunnel
{
    // After openconnect exits, its children (vpnc-script, --script-tun handler) may hold the output
    // sockets a little longer; past this the remaining output is dropped rather than waited for.
    private static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromSeconds(3);

    private async Task MonitorAsync()
    {
        var exitCode = -1;
        try
        {
            exitCode = await WatchAsync().ConfigureAwait(false);
        }
        finally
        {
            // Whatever happened above, waiters of Events, Exited and StopAsync must not hang.
            _events.Writer.TryComplete();
            _exited.TrySetResult(exitCode);
        }
    }

    private async Task<int> WatchAsync()
    {
        using var readers = new CancellationTokenSource();
        var stdout = ReadLinesAsync(_child.StandardOutput, fromStderr: false, readers.Token);
        var stderr = ReadLinesAsync(_child.StandardError, fromStderr: true, readers.Token);

        var exitCode = await _child.Exited.ConfigureAwait(false);
        try
        {
            await Task.WhenAll(stdout, stderr).WaitAsync(OutputDrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A child still holds the sockets open. Shutting down the receive side makes each reader drain what
            // is already queued (openconnect's last lines, which carry the reason) and then see end of file;
            // cancelling instead would drop them on a slow machine.
            if (!ShutDownReceive(_child.StandardOutput) | !ShutDownReceive(_child.StandardError))
            {
                await readers.CancelAsync().ConfigureAwait(false);
            }

            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        }

        TunnelExited exited;
        string? iface;
        lock (_gate)
        {
            exited = _tracker.OnExit(exitCode);
            iface = _info?.Interface;
        }
        Log.Exited(_logger, ProcessId, exited.ExitCode, exited.CookieRejected, exited.LastError);
        // Before the exit is reported: whoever acts on it (a reconnect, the daemon's exit) finds DNS restored.
        await VpncDisconnect.RunIfLeftAsync(_options, ProcessId, _ => false, _logger, CancellationToken.None).ConfigureAwait(false);
        if (iface is not null && Directory.Exists(Path.Combine("/sys/class/net", iface)))
        {
            Log.InterfaceLingers(_logger, ProcessId, iface);
        }

        PidFile.DeleteIfOwned(_pidFilePath, ProcessId);
        _events.Writer.TryWrite(exited);
        return exitCode;
    }

    private static bool ShutDownReceive(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Receive);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    private async Task ReadLinesAsync(Socket socket, bool fromStderr, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                OnLine(line, fromStderr);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Log.OutputFailed(_logger, e, ProcessId);
        }
    }

    private void OnLine(string rawLine, bool fromStderr)
    {
        var line = _redactor.Redact(rawLine);
        TrackedLine tracked;
        lock (_gate)
        {
            tracked = _tracker.OnLine(line, fromStderr);
            _info = _tracker.Info;
            // Written under the lock so that the two output streams cannot reorder events.
            foreach (var tunnelEvent in tracked.Events)
            {
                _events.Writer.TryWrite(tunnelEvent);
            }
        }

        if (tracked.Report is { } report)
        {
            Log.WrapperReport(_logger, ProcessId, report.Reason, report.Status,
                string.Join(' ', report.Variables.Select(v => $"{v.Key}={v.Value}")));
            if (report.Status != 0)
            {
                Log.VpncScriptFailed(_logger, ProcessId, report.Reason, report.Status);
            }

            foreach (var name in report.UnsafeVariables)
            {
                Log.UnsafeVariable(_logger, ProcessId, name);
            }
        }
        else if (tracked.Parsed is { } parsed && parsed.Kind != Output.OutputLineKind.Blank)
        {
            if (fromStderr)
            {
                Log.ErrorOutput(_logger, ProcessId, parsed.Text);
            }
            else
            {
                Log.Output(_logger, ProcessId, parsed.Text);
            }

            if (parsed.Expires is { } expires)
            {
                Log.SessionExpires(_logger, ProcessId, expires);
            }
        }

        foreach (var tunnelEvent in tracked.Events)
        {
            switch (tunnelEvent)
            {
                case TunnelUp up:
                    Log.TunnelUp(_logger, ProcessId, up.Info.Interface, up.Info.Ipv4, up.Info.Ipv6, up.Info.Gateway,
                        string.Join(' ', up.Info.Dns));
                    break;
                case TunnelReconnecting reconnecting:
                    Log.Reconnecting(_logger, ProcessId, reconnecting.Reason);
                    break;
            }
        }
    }
}
