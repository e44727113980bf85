using GpDaemon.Lifecycle;

namespace GpDaemon.Tests.Lifecycle;

public sealed class ProcLocksTests
{
    private const string Sample = """
        1: POSIX  ADVISORY  WRITE 811 00:1a:4242 0 EOF
        2: FLOCK  ADVISORY  WRITE 1234 fd:01:4242 0 EOF
        2: -> FLOCK  ADVISORY  WRITE 999 00:1a:4242 0 EOF
        3: FLOCK  ADVISORY  WRITE 5678 00:1a:4242 0 EOF
        4: OFDLCK ADVISORY  READ  -1 00:1a:77 0 EOF
        """;

    [Fact]
    public void Finds_the_flock_holder_by_device_and_inode_and_skips_waiters_and_other_lock_kinds()
    {
        Assert.Equal(5678, ProcLocks.FindFlockHolder(Sample, 0, 0x1a, 4242));
        Assert.Equal(1234, ProcLocks.FindFlockHolder(Sample, 0xfd, 1, 4242));
        Assert.Null(ProcLocks.FindFlockHolder(Sample, 0, 0x1a, 77));
        Assert.Null(ProcLocks.FindFlockHolder(Sample, 0, 0x1b, 4242));
        Assert.Null(ProcLocks.FindFlockHolder("garbage\n\n1: FLOCK\n", 0, 0, 0));
    }

    [Fact]
    public void Splits_a_device_number_as_glibc_does()
    {
        ulong dev = (0xfdUL << 8) | 0x01UL; // 253:1
        Assert.Equal(253u, ProcLocks.Major(dev));
        Assert.Equal(1u, ProcLocks.Minor(dev));
    }

    [Fact]
    public void Describes_this_process_as_not_gpdaemon()
    {
        LockOwner owner = ProcLocks.Describe(Environment.ProcessId, daemonUid: 0);
        Assert.Equal(Environment.ProcessId, owner.Pid);
        Assert.False(owner.IsGpdaemon);
        Assert.False(string.IsNullOrEmpty(owner.Name));
    }

    [Fact]
    public void Reads_the_effective_uid_from_proc_status()
    {
        Assert.Equal(1001u, ProcLocks.ParseEffectiveUid("Name:\tsleep\nUid:\t0\t1001\t1001\t1001\nGid:\t0\t0\t0\t0\n"));
        Assert.Null(ProcLocks.ParseEffectiveUid("Name:\tsleep\n"));
        Assert.Null(ProcLocks.ParseEffectiveUid(null));
    }
}
