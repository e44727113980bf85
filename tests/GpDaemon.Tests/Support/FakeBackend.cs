using System.Collections.Concurrent;
using System.Threading.Channels;
using GpControl;
using GpDaemon.Backend;

namespace GpDaemon.Tests.Support;

/// <summary>
/// The outside world of the state machine in memory: a login the test scripts (it may ask through the interaction,
/// block, or fail) and tunnels the test drives. Counts logins and tunnel starts.
/// </summary>
internal sealed class FakeBackend : IVpnBackend
{
    public delegate Task<LoginOutcome> LoginHandler(ConnectRequest request, ILoginInteraction interaction, CancellationToken cancellationToken);

    public static readonly Gateway UsEast = new("US East", "gw1.example.com", 1);

    private readonly Channel<FakeTunnel> _tunnels = Channel.CreateUnbounded<FakeTunnel>();
    private readonly Channel<ConnectRequest> _logins = Channel.CreateUnbounded<ConnectRequest>();
    private int _loginCount;
    private int _tunnelCount;

    /// <summary>What a login does; by default it succeeds at once.</summary>
    public LoginHandler OnLogin { get; set; } = (request, _, _) => Task.FromResult(Success(request));

    public int LoginCount => Volatile.Read(ref _loginCount);

    public int TunnelCount => Volatile.Read(ref _tunnelCount);

    public ConcurrentQueue<string> ForgottenSessions { get; } = new();

    public static LoginOutcome Success(ConnectRequest request) =>
        new(request.Portal, request.User ?? "alice", UsEast, [UsEast], new FakeSession());

    /// <summary>A login that waits until it is cancelled, as one stuck talking to the portal does.</summary>
    public static LoginHandler BlocksUntilCancelled => async (_, _, cancellationToken) =>
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    };

    /// <summary>A login that asks one question and records the answer it got.</summary>
    public static LoginHandler Asks(string message, bool secret, ConcurrentQueue<string> answers) => async (request, interaction, cancellationToken) =>
    {
        answers.Enqueue(await interaction.AskAsync(message, secret, cancellationToken));
        return Success(request);
    };

    public static LoginHandler Fails(FailureKind kind, string message) =>
        (_, _, _) => Task.FromException<LoginOutcome>(new ConnectFailedException(kind, message));

    public Task<LoginOutcome> LoginAsync(ConnectRequest request, ILoginInteraction interaction, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _loginCount);
        _logins.Writer.TryWrite(request);
        return BindAsync(OnLogin(request, interaction, cancellationToken));
    }

    /// <summary>Ties the login's session, however the test's handler made it, to this backend.</summary>
    private async Task<LoginOutcome> BindAsync(Task<LoginOutcome> login)
    {
        LoginOutcome outcome = await login;
        if (outcome.Session is FakeSession { Backend: null } session)
        {
            session.Backend = this;
        }
        return outcome;
    }

    private Task<ITunnelHandle> StartTunnelAsync(FakeSession session)
    {
        int n = Interlocked.Increment(ref _tunnelCount);
        var tunnel = new FakeTunnel(40_000 + n, session);
        _tunnels.Writer.TryWrite(tunnel);
        return Task.FromResult<ITunnelHandle>(tunnel);
    }

    public bool ForgetSession(ConnectRequest request)
    {
        ForgottenSessions.Enqueue(request.Portal);
        ForgottenOwners.Enqueue(request.SessionOwner);
        return true;
    }

    public ConcurrentQueue<string> ForgottenOwners { get; } = new();

    /// <summary>The next tunnel the state machine starts.</summary>
    public async Task<FakeTunnel> NextTunnelAsync() => await _tunnels.Reader.ReadAsync(Wait.Token());

    /// <summary>The request of the next login the state machine starts.</summary>
    public async Task<ConnectRequest> NextLoginAsync() => await _logins.Reader.ReadAsync(Wait.Token());

    /// <summary>No tunnel started yet beyond those already read with <see cref="NextTunnelAsync"/>.</summary>
    public bool HasNoNewTunnel => !_tunnels.Reader.TryPeek(out _);

    /// <summary>A login's session: it starts its tunnels through the backend that counts them.</summary>
    internal sealed class FakeSession : IVpnSession
    {
        public FakeBackend? Backend { get; set; }

        public Task<ITunnelHandle> StartTunnelAsync(CancellationToken cancellationToken) =>
            (Backend ?? throw new InvalidOperationException("a session made outside a FakeBackend login")).StartTunnelAsync(this);
    }
}
