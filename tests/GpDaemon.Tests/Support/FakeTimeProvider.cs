namespace GpDaemon.Tests.Support;

/// <summary>
/// Time that moves only when the test says so. Tests wait for the code under test to arm a timer
/// (<see cref="WaitForTimerAsync"/>) before advancing, so nothing depends on how fast the machine is.
/// </summary>
internal sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private readonly List<(Func<TimeSpan, bool> Match, TaskCompletionSource<TimeSpan> Armed)> _waiters = [];
    private DateTimeOffset _now = start;

    public FakeTimeProvider() : this(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Completes once a timer is armed whose due time (from when it was armed) matches; returns that due time.</summary>
    public Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool>? match = null)
    {
        match ??= _ => true;
        lock (_gate)
        {
            foreach (FakeTimer timer in _timers)
            {
                if (timer.Due is not null && match(timer.Length))
                {
                    return Task.FromResult(timer.Length);
                }
            }
            var armed = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, armed));
            return armed.Task;
        }
    }

    /// <summary>Moves time forward and fires every timer that became due, in order, outside the lock.</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (_gate)
        {
            target = _now + by;
        }
        while (true)
        {
            FakeTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.Due is { } due && due <= target).MinBy(t => t.Due);
                if (next is null)
                {
                    _now = target;
                    return;
                }
                _now = next.Due!.Value;
                next.Fired();
            }
            next.Invoke();
        }
    }

    private void Armed(FakeTimer timer)
    {
        // Called under the lock.
        for (int i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Match(timer.Length))
            {
                _waiters[i].Armed.TrySetResult(timer.Length);
                _waiters.RemoveAt(i);
            }
        }
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset? Due { get; private set; }

        public TimeSpan Length { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
                _period = period;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    Due = null;
                    return true;
                }
                Length = dueTime;
                Due = owner._now + dueTime;
                owner._timers.Add(this);
                owner.Armed(this);
                return true;
            }
        }

        public void Fired()
        {
            // Called under the lock.
            if (_period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero)
            {
                Due = null;
                owner._timers.Remove(this);
            }
            else
            {
                Due = owner._now + _period;
            }
        }

        public void Invoke() => callback(state);

        public void Dispose()
        {
            lock (owner._gate)
            {
                Due = null;
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
