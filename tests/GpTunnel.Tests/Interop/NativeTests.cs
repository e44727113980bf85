using System.ComponentModel;
using System.Text;
using GpTunnel.Interop;
using GpTunnel.Launch;
using Tmds.Linux;

namespace GpTunnel.Tests.Interop;

/// <summary>A failed libc call reads as "what: reason" with its errno kept, whichever part of the code made it.</summary>
public sealed unsafe class NativeTests
{
    [Fact]
    public void Error_names_what_failed_and_why()
    {
        Win32Exception error = Native.Error("cannot open /run/gpdaemon/gpdaemon.pid", LibC.EACCES);

        Assert.Equal(LibC.EACCES, error.NativeErrorCode);
        Assert.Equal("cannot open /run/gpdaemon/gpdaemon.pid: Permission denied", error.Message);
    }

    [Fact]
    public void LastError_reads_the_errno_the_failed_call_left()
    {
        byte[] path = Encoding.UTF8.GetBytes("/nonexistent-gpdaemon-test/file\0");
        int fd;
        fixed (byte* p = path)
        {
            fd = LibC.open(p, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        }
        Win32Exception error = Native.LastError("cannot open /nonexistent-gpdaemon-test/file");

        Assert.Equal(-1, fd);
        Assert.Equal(LibC.ENOENT, error.NativeErrorCode);
        Assert.Equal("cannot open /nonexistent-gpdaemon-test/file: No such file or directory", error.Message);
    }

    [Fact]
    public void Spawning_a_missing_program_reports_posix_spawn_and_the_reason()
    {
        var error = Assert.Throws<Win32Exception>(() =>
            ChildProcess.Start("/nonexistent-gpdaemon-test/openconnect", ["openconnect"], [], []));

        Assert.Equal(LibC.ENOENT, error.NativeErrorCode);
        Assert.Equal("posix_spawn /nonexistent-gpdaemon-test/openconnect: No such file or directory", error.Message);
    }
}
