using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using GpControl.Varlink;

namespace GpControl.Tests.Support;

/// <summary>
/// A stand-in daemon on a real Unix socket in a temp directory: records every call it receives and answers it with
/// the replies the test scripted. A null reply hangs up.
/// </summary>
internal sealed class ScriptedDaemon : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<VarlinkCall, IEnumerable<byte[]?>> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    private ScriptedDaemon(string directory, Func<VarlinkCall, IEnumerable<byte[]?>> answer)
    {
        Directory = directory;
        SocketPath = Path.Combine(directory, "daemon.sock");
        _answer = answer;
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(8);
        _serving = ServeAsync(_stop.Token);
    }

    public string Directory { get; }

    public string SocketPath { get; }

    /// <summary>Every call as the client sent it, without the NUL.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    public static ScriptedDaemon Start(Func<VarlinkCall, IEnumerable<byte[]?>> answer) =>
        new(System.IO.Directory.CreateTempSubdirectory("gpcontrol-test-").FullName, answer);

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                Socket client = await _listener.AcceptAsync(cancellationToken);
                _ = ServeClientAsync(client, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ServeClientAsync(Socket client, CancellationToken cancellationToken)
    {
        await using var connection = new VarlinkConnection(new NetworkStream(client, ownsSocket: true));
        try
        {
            while (await connection.ReadMessageAsync(cancellationToken) is { } message)
            {
                Calls.Enqueue(Encoding.UTF8.GetString(message.Span));
                foreach (byte[]? reply in _answer(VarlinkCall.Parse(message)))
                {
                    if (reply is null)
                    {
                        return;
                    }
                    await connection.WriteAsync(reply, cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _serving;
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
