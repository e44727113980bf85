using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using GpTunnel.Interop;
using Tmds.Linux;

namespace GpTunnel.Launch;

/// <summary>
/// One child started with posix_spawn: in its own session (so terminal signals aimed at the daemon never
/// reach it), with every descriptor above stderr closed, signal dispositions and mask reset, stdin fed
/// once and closed, stdout/stderr readable as sockets (asynchronous reads without blocking threads).
/// The child is reaped by a dedicated thread; signals are only sent while it is not yet reaped, so a
/// recycled pid can never be hit.
/// </summary>
internal sealed unsafe class ChildProcess : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _killGroupAtExit;
    private bool _reaped;

    private ChildProcess(int pid, Socket stdout, Socket stderr, bool killGroupAtExit)
    {
        ProcessId = pid;
        _killGroupAtExit = killGroupAtExit;
        StandardOutput = stdout;
        StandardError = stderr;
        var waiter = new Thread(WaitForExit) { IsBackground = true, Name = $"child-wait-{pid}" };
        waiter.Start();
    }

    public int ProcessId { get; }

    public Socket StandardOutput { get; }

    public Socket StandardError { get; }

    /// <summary>Exit status; 128+N when killed by signal N; -1 if the status was lost (reaped elsewhere).</summary>
    public Task<int> Exited => _exited.Task;

    public bool HasExited
    {
        get
        {
            lock (_gate)
            {
                return _reaped;
            }
        }
    }

    /// <summary>Spawns <paramref name="path"/>. Throws <see cref="Win32Exception"/> with the errno of posix_spawn.</summary>
    /// <param name="argv">Full argv including argv[0].</param>
    /// <param name="environment">"NAME=value" entries, the child's whole environment.</param>
    /// <param name="standardInput">Written to the child's stdin, which is then closed.</param>
    /// <param name="killGroupAtExit">
    /// When the child exits, kill what is left of its process group (whatever it started and left behind) before it is
    /// reaped, while its pid, which names the group, cannot yet belong to anyone else.
    /// </param>
    public static ChildProcess Start(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment,
        ReadOnlySpan<byte> standardInput, bool killGroupAtExit = false)
    {
        int* stdinPipe = stackalloc int[2] { -1, -1 };
        int* stdoutPair = stackalloc int[2] { -1, -1 };
        int* stderrPair = stackalloc int[2] { -1, -1 };
        var strings = new List<nint>();
        byte* fileActions = null;
        byte* attributes = null;
        try
        {
            Check(LibC.pipe2(stdinPipe, LibC.O_CLOEXEC), "pipe2");
            Check(LibC.socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, stdoutPair), "socketpair");
            Check(LibC.socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, stderrPair), "socketpair");

            fileActions = (byte*)NativeMemory.AllocZeroed(Native.FileActionsSize);
            attributes = (byte*)NativeMemory.AllocZeroed(Native.SpawnAttrSize);
            CheckResult(Native.posix_spawn_file_actions_init(fileActions), "posix_spawn_file_actions_init");
            CheckResult(Native.posix_spawn_file_actions_adddup2(fileActions, stdinPipe[0], 0), "adddup2");
            CheckResult(Native.posix_spawn_file_actions_adddup2(fileActions, stdoutPair[1], 1), "adddup2");
            CheckResult(Native.posix_spawn_file_actions_adddup2(fileActions, stderrPair[1], 2), "adddup2");
            CheckResult(Native.posix_spawn_file_actions_addclosefrom_np(fileActions, 3), "addclosefrom_np");

            CheckResult(Native.posix_spawnattr_init(attributes), "posix_spawnattr_init");
            sigset_t emptySet, defaultSet;
            LibC.sigemptyset(&emptySet);
            LibC.sigemptyset(&defaultSet);
            // The runtime ignores SIGPIPE and may install handlers; an ignored disposition survives exec.
            for (var signal = 1; signal < 32; signal++)
            {
                if (signal != LibC.SIGKILL && signal != LibC.SIGSTOP)
                {
                    LibC.sigaddset(&defaultSet, signal);
                }
            }
            CheckResult(Native.posix_spawnattr_setsigmask(attributes, &emptySet), "setsigmask");
            CheckResult(Native.posix_spawnattr_setsigdefault(attributes, &defaultSet), "setsigdefault");
            CheckResult(Native.posix_spawnattr_setflags(attributes,
                Native.POSIX_SPAWN_SETSID | Native.POSIX_SPAWN_SETSIGMASK | Native.POSIX_SPAWN_SETSIGDEF), "setflags");

            var pathBytes = Utf8(path, strings);
            var argvBlock = StringArray(argv, strings);
            var envBlock = StringArray(environment, strings);

            int pid;
            var error = Native.posix_spawn(&pid, pathBytes, fileActions, attributes, argvBlock, envBlock);
            if (error != 0)
            {
                throw Native.Error($"posix_spawn {path}", error);
            }

            try
            {
                // Close the child's ends here so EOF arrives when the child (and its children) are done.
                CloseFd(ref stdinPipe[0]);
                CloseFd(ref stdoutPair[1]);
                CloseFd(ref stderrPair[1]);

                WriteAll(stdinPipe[1], standardInput);
                CloseFd(ref stdinPipe[1]);

                var stdout = new Socket(new SafeSocketHandle(stdoutPair[0], ownsHandle: true));
                stdoutPair[0] = -1;
                var stderr = new Socket(new SafeSocketHandle(stderrPair[0], ownsHandle: true));
                stderrPair[0] = -1;
                return new ChildProcess(pid, stdout, stderr, killGroupAtExit);
            }
            catch
            {
                // Nobody would watch this child: do not leave it running.
                LibC.kill(pid, LibC.SIGKILL);
                int status;
                Native.waitpid(pid, &status, 0);
                throw;
            }
        }
        finally
        {
            if (fileActions is not null)
            {
                Native.posix_spawn_file_actions_destroy(fileActions);
                NativeMemory.Free(fileActions);
            }
            if (attributes is not null)
            {
                Native.posix_spawnattr_destroy(attributes);
                NativeMemory.Free(attributes);
            }
            foreach (var s in strings)
            {
                NativeMemory.Free((void*)s);
            }

            for (var i = 0; i < 2; i++)
            {
                CloseFd(ref stdinPipe[i]);
                CloseFd(ref stdoutPair[i]);
                CloseFd(ref stderrPair[i]);
            }
        }
    }

    /// <summary>Sends a signal to the child if it has not been reaped yet. Returns false when it already exited.</summary>
    public bool Signal(int signal)
    {
        lock (_gate)
        {
            if (_reaped)
            {
                return false;
            }
            // A zombie still owns its pid, so this cannot reach another process.
            return LibC.kill(ProcessId, signal) == 0;
        }
    }

    /// <summary>
    /// Sends a signal to the child's whole process group (it leads one: it was started in its own session) if the child
    /// has not been reaped yet. Returns false when it already exited.
    /// </summary>
    public bool SignalGroup(int signal)
    {
        lock (_gate)
        {
            if (_reaped)
            {
                return false;
            }
            // The unreaped leader keeps its pid, and so the group's id, from being reused.
            return LibC.kill(-ProcessId, signal) == 0;
        }
    }

    public void Dispose()
    {
        StandardOutput.Dispose();
        StandardError.Dispose();
    }

    private void WaitForExit()
    {
        siginfo_t info;
        int result;
        // Wait without reaping: the pid stays ours until _reaped is set under the lock.
        while ((result = Native.waitid(Native.P_PID, ProcessId, &info, Native.WEXITED | Native.WNOWAIT)) != 0
               && LibC.errno == LibC.EINTR)
        {
        }

        if (_killGroupAtExit && result == 0)
        {
            // The leader is a zombie now: the group's id is still its own.
            LibC.kill(-ProcessId, LibC.SIGKILL);
        }

        int status = 0;
        int reapResult;
        lock (_gate)
        {
            while ((reapResult = Native.waitpid(ProcessId, &status, 0)) < 0 && LibC.errno == LibC.EINTR)
            {
            }
            _reaped = true;
        }
        _exited.TrySetResult(result == 0 && reapResult == ProcessId ? DecodeWaitStatus(status) : -1);
    }

    internal static int DecodeWaitStatus(int status)
    {
        var termSignal = status & 0x7f;
        return termSignal == 0 ? (status >> 8) & 0xff : 128 + termSignal;
    }

    private static void WriteAll(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            var offset = 0;
            while (offset < data.Length)
            {
                var n = LibC.write(fd, start + offset, data.Length - offset);
                if (n < 0)
                {
                    var errno = LibC.errno;
                    if (errno == LibC.EINTR)
                    {
                        continue;
                    }
                    // The child is already gone; its exit status tells the story.
                    if (errno == LibC.EPIPE)
                    {
                        return;
                    }

                    throw Native.Error("writing to the child's stdin", errno);
                }
                offset += (int)n;
            }
        }
    }

    private static byte* Utf8(string value, List<nint> allocations)
    {
        if (value.Contains('\0'))
        {
            throw new ArgumentException("Arguments and environment entries cannot contain NUL.");
        }

        var count = Encoding.UTF8.GetByteCount(value);
        var buffer = (byte*)NativeMemory.Alloc((nuint)count + 1);
        allocations.Add((nint)buffer);
        Encoding.UTF8.GetBytes(value, new Span<byte>(buffer, count));
        buffer[count] = 0;
        return buffer;
    }

    private static byte** StringArray(IReadOnlyList<string> values, List<nint> allocations)
    {
        var block = (byte**)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(nint));
        allocations.Add((nint)block);
        for (var i = 0; i < values.Count; i++)
        {
            block[i] = Utf8(values[i], allocations);
        }

        return block;
    }

    private static void CloseFd(ref int fd)
    {
        if (fd >= 0)
        {
            LibC.close(fd);
            fd = -1;
        }
    }

    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            throw Native.LastError(what);
        }
    }

    private static void CheckResult(int error, string what)
    {
        if (error != 0)
        {
            throw Native.Error(what, error);
        }
    }
}
