using System.ComponentModel;
using System.Security.Cryptography;
using System.Text;
using GpTunnel.Interop;
using GpTunnel.Launch;
using GpTunnel.Leftover;
using GpTunnel.Logging;
using GpTunnel.Output;
using GpTunnel.Wrapper;
using Microsoft.Extensions.Logging;
using Tmds.Linux;

namespace GpTunnel;

/// <summary>
/// Runs openconnect for one tunnel at a time and reports the truth about it. Reconnect policy belongs
/// to the caller: this class starts, watches and stops one process.
/// </summary>
public sealed partial class OpenConnectSupervisor
{
    // openconnect reads the cookie with fgets into 1025 bytes: longer lines would be split.
    private const int MaxCookieBytes = 1023;

    private readonly OpenConnectOptions _options;
    private readonly ILogger<OpenConnectSupervisor> _logger;

    public OpenConnectSupervisor(OpenConnectOptions options, ILogger<OpenConnectSupervisor> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _logger = logger;
    }

    internal string PidFilePath => Path.Combine(_options.RuntimeDirectory, PidFile.FileName);

    internal string WrapperPath => OpenConnectCommandLine.WrapperPath(_options.RuntimeDirectory);

    /// <summary>
    /// Starts openconnect. Returns as soon as the process runs and has its cookie; watch
    /// <see cref="OpenConnectTunnel.Events"/> for the tunnel coming up or failing.
    /// </summary>
    /// <exception cref="OpenConnectNotFoundException">The binary is missing or not executable.</exception>
    /// <exception cref="ArgumentException">Gateway or cookie unusable (the message never contains the cookie).</exception>
    public Task<OpenConnectTunnel> StartAsync(TunnelStartInfo start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        Validate(start);
        cancellationToken.ThrowIfCancellationRequested();
        EnsureExecutable(_options.Path);
        PrepareRuntimeDirectory(_options.RuntimeDirectory);

        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var wrapperPath = WrapperPath;
        AtomicFile.Write(wrapperPath, WrapperScript.Render(nonce, _options.ScriptTun ? null : _options.VpncScript, _options.ScriptTun ? _options.TunHandler : null, _options.Routes, _options.SplitDnsDomains,
                _options.ScriptTun ? null : SavedEnvironment.PathIn(_options.RuntimeDirectory)),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var argv = OpenConnectCommandLine.Build(_options, start, wrapperPath);
        var environment = OpenConnectCommandLine.Environment(OpenConnectCommandLine.CurrentEnvironment());
        cancellationToken.ThrowIfCancellationRequested();

        Log.Starting(_logger, start.Gateway, _options.ScriptTun);
        var cookieLine = Encoding.UTF8.GetBytes(start.Cookie + "\n");
        ChildProcess child;
        try
        {
            child = ChildProcess.Start(_options.Path, argv, environment, cookieLine);
        }
        catch (Win32Exception e) when (e.NativeErrorCode == LibC.ENOENT || e.NativeErrorCode == LibC.EACCES || e.NativeErrorCode == LibC.ENOEXEC)
        {
            throw new OpenConnectNotFoundException(_options.Path, e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(cookieLine);
        }
        Log.Started(_logger, child.ProcessId);

        try
        {
            new PidFile(child.ProcessId, ProcStat.Read(child.ProcessId)?.StartTime).Write(PidFilePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.PidFileFailed(_logger, e, PidFilePath);
        }

        return Task.FromResult(new OpenConnectTunnel(child, _options, nonce, PidFilePath, new SecretRedactor(start.Cookie), _logger));
    }

    private static void Validate(TunnelStartInfo start)
    {
        if (string.IsNullOrWhiteSpace(start.Gateway) || start.Gateway.StartsWith('-')
            || start.Gateway.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException($"Not a gateway address: '{start.Gateway}'.", nameof(start));
        }

        if (start.Cookie.Length == 0 || start.Cookie.Any(c => c is '\n' or '\r' or '\0'))
        {
            throw new ArgumentException("The session cookie is empty or contains a line break.", nameof(start));
        }

        if (Encoding.UTF8.GetByteCount(start.Cookie) > MaxCookieBytes)
        {
            throw new ArgumentException($"The session cookie is longer than the {MaxCookieBytes} bytes openconnect reads.", nameof(start));
        }

        if (start.ServerCert?.Any(char.IsControl) == true || start.CaFile?.Any(char.IsControl) == true
            || start.ClientOs.Any(char.IsControl))
        {
            throw new ArgumentException("Server certificate, CA file and client OS cannot contain control characters.", nameof(start));
        }
    }

    private static unsafe void EnsureExecutable(string path)
    {
        if (!Path.IsPathFullyQualified(path) || !File.Exists(path))
        {
            throw new OpenConnectNotFoundException(path);
        }

        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0"))
        {
            if (LibC.access(p, LibC.X_OK) != 0)
            {
                throw new OpenConnectNotFoundException(path);
            }
        }
    }

    private static unsafe void PrepareRuntimeDirectory(string directory)
    {
        if (!Path.IsPathFullyQualified(directory))
        {
            throw new ArgumentException($"RuntimeDirectory must be an absolute path: '{directory}'.");
        }

        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        // openconnect executes the wrapper from here, typically as root: the directory must be ours and writable by us
        // alone. Checked on the directory itself (O_NOFOLLOW: a symlink in its place is refused), not by path twice.
        var name = Encoding.UTF8.GetBytes(directory + "\0");
        int fd;
        fixed (byte* p = name)
        {
            fd = LibC.open(p, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC);
        }

        if (fd < 0)
        {
            throw new InvalidOperationException(
                $"{Native.LastError($"RuntimeDirectory {directory} cannot be opened as a directory").Message}; openconnect would run a script from it.");
        }

        try
        {
            stat st;
            if (LibC.fstat(fd, &st) != 0)
            {
                throw new InvalidOperationException(Native.LastError($"RuntimeDirectory {directory} cannot be checked").Message + ".");
            }

            uint self = LibC.geteuid();
            if ((uint)st.st_uid != self)
            {
                throw new InvalidOperationException(
                    $"RuntimeDirectory {directory} is owned by uid {(uint)st.st_uid}, not by uid {self} that runs openconnect; openconnect would run a script from it. Remove it or use a directory of your own.");
            }

            if (((uint)st.st_mode & (uint)(LibC.S_IWGRP | LibC.S_IWOTH)) != 0)
            {
                throw new InvalidOperationException(
                    $"RuntimeDirectory {directory} is writable by group or others; openconnect would run a script from it. Use a 0700 directory.");
            }
        }
        finally
        {
            LibC.close(fd);
        }
    }
}
