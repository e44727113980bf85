using GpDaemon.Sleep;
using GpDaemon.Tests.Support;
using GpDaemon.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace GpDaemon.Tests.Sleep;

/// <summary>The follower against a real dbus-daemon, with a stand-in logind and an impostor on the same bus.</summary>
public sealed class SleepFollowerTests
{
    private static SleepFollower Follower(string address) =>
        new(address, TimeProvider.System, NullLogger<SleepFollower>.Instance)
        {
            CallTimeout = TimeSpan.FromSeconds(10),
            InitialRetryDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryDelay = TimeSpan.FromMilliseconds(500),
        };

    /// <summary>Runs <paramref name="test"/> against a started follower once it has subscribed, and stops the follower after.</summary>
    private static async Task FollowAsync(string address, CancellationToken deadline, Func<SleepFollower, Task> test)
    {
        using SleepFollower follower = Follower(address);
        await follower.StartAsync(deadline);
        try
        {
            await follower.Subscribed.WaitAsync(deadline);
            await test(follower);
        }
        finally
        {
            await follower.StopAsync(deadline);
        }
    }

    [Fact]
    public async Task Logind_going_to_sleep_and_resuming_is_reported_in_order()
    {
        CancellationToken deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
        await using PrivateSystemBus bus = await PrivateSystemBus.StartAsync(deadline);
        using StandInLoginManager logind = await StandInLoginManager.ConnectAsync(bus.Address, ownName: true, deadline);
        await FollowAsync(bus.Address, deadline, async follower =>
        {
            Assert.Equal(logind.UniqueName, follower.Owner);

            await logind.PrepareForSleepAsync(true, deadline);
            await logind.PrepareForSleepAsync(false, deadline);

            Assert.Equal(SleepTransition.GoingToSleep, await follower.Transitions.ReadAsync(deadline));
            Assert.Equal(SleepTransition.Resumed, await follower.Transitions.ReadAsync(deadline));
        });
    }

    [Fact]
    public async Task A_sender_that_does_not_own_the_login1_name_is_ignored()
    {
        CancellationToken deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
        await using PrivateSystemBus bus = await PrivateSystemBus.StartAsync(deadline);
        using StandInLoginManager logind = await StandInLoginManager.ConnectAsync(bus.Address, ownName: true, deadline);
        using StandInLoginManager impostor = await StandInLoginManager.ConnectAsync(bus.Address, ownName: false, deadline);
        await FollowAsync(bus.Address, deadline, async follower =>
        {
            // The impostor's signal reaches the bus first (its call returns only after the bus routed it).
            await impostor.PrepareForSleepAsync(true, deadline);
            await logind.PrepareForSleepAsync(false, deadline);

            Assert.Equal(SleepTransition.Resumed, await follower.Transitions.ReadAsync(deadline));
            Assert.False(follower.Transitions.TryRead(out _));
        });
    }

    [Fact]
    public async Task A_new_logind_is_followed_and_the_old_one_no_longer_counts()
    {
        CancellationToken deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
        await using PrivateSystemBus bus = await PrivateSystemBus.StartAsync(deadline);
        await FollowAsync(bus.Address, deadline, async follower =>
        {
            Assert.Null(follower.Owner); // logind not started yet

            // logind starts after the daemon (NameOwnerChanged), then restarts under a new connection.
            StandInLoginManager first = await StandInLoginManager.ConnectAsync(bus.Address, ownName: true, deadline);
            await Poll(() => follower.Owner == first.UniqueName, deadline);
            first.Dispose();
            await Poll(() => follower.Owner is null, deadline);
            using StandInLoginManager second = await StandInLoginManager.ConnectAsync(bus.Address, ownName: true, deadline);
            await Poll(() => follower.Owner == second.UniqueName, deadline);

            await second.PrepareForSleepAsync(true, deadline);
            Assert.Equal(SleepTransition.GoingToSleep, await follower.Transitions.ReadAsync(deadline));
        });
    }

    [Fact]
    public async Task No_bus_is_not_an_error_and_the_bus_appearing_later_is_followed()
    {
        CancellationToken deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
        string missing = "unix:path=/nonexistent-" + Guid.NewGuid().ToString("N") + "/system_bus_socket";
        using (SleepFollower follower = Follower(missing))
        {
            await follower.StartAsync(deadline);
            await Task.Delay(TimeSpan.FromMilliseconds(300), deadline); // a few retries
            Assert.False(follower.Subscribed.IsCompleted);
            Assert.False(follower.ExecuteTask!.IsCompleted); // still running, retrying quietly
            await follower.StopAsync(deadline);
        }
    }

    [Fact]
    public async Task A_restarted_bus_is_followed_again()
    {
        CancellationToken deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
        using var directory = new TempBusDirectory();
        PrivateSystemBus bus = await PrivateSystemBus.StartAsync(deadline, directory.Path);
        await FollowAsync(bus.Address, deadline, async follower =>
        {
            await bus.DisposeAsync();
            await Poll(() => !follower.Subscribed.IsCompleted, deadline);

            await using PrivateSystemBus restarted = await PrivateSystemBus.StartAsync(deadline, directory.Path);
            using StandInLoginManager logind = await StandInLoginManager.ConnectAsync(restarted.Address, ownName: true, deadline);
            await follower.Subscribed.WaitAsync(deadline);
            await Poll(() => follower.Owner == logind.UniqueName, deadline);
            await logind.PrepareForSleepAsync(false, deadline);
            Assert.Equal(SleepTransition.Resumed, await follower.Transitions.ReadAsync(deadline));
        });
    }

    private sealed class TempBusDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("gpd-bus-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    private static async Task Poll(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }
}
