using System.Globalization;
using GpDaemon.Config;
using GpTunnel.Interop;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace GpDaemon.Auth;

/// <summary>
/// Where an unattended login (boot-time autoconnect) finds the password: a systemd credential named "password"
/// (LoadCredential=password:..., read from $CREDENTIALS_DIRECTORY), else the configured password_file, which must be
/// owned by root (or the daemon's user) and readable by its owner only.
/// </summary>
internal static class PasswordSource
{
    public const string CredentialName = "password";

    /// <summary>The password, or null when none is configured. Throws <see cref="ConfigException"/> for an unsafe or unreadable file.</summary>
    public static string? Read(DaemonConfig config, string? credentialsDirectory)
    {
        if (!string.IsNullOrEmpty(credentialsDirectory))
        {
            string credential = Path.Combine(credentialsDirectory, CredentialName);
            if (File.Exists(credential))
            {
                return FirstLine(credential);
            }
        }
        if (config.PasswordFile is not { } file)
        {
            return null;
        }
        return FirstLineOfPrivateFile(file);
    }

    /// <summary>
    /// Checks and reads one descriptor: the owner and mode are those of the very file that is read (fstat), so a file
    /// swapped under the path between a check and a read is never used.
    /// </summary>
    private static unsafe string FirstLineOfPrivateFile(string file)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"password_file {file}: {ex.Message}");
        }
        using (handle)
        {
            stat st;
            if (fstat((int)handle.DangerousGetHandle(), &st) != 0)
            {
                throw new ConfigException(Native.LastError($"password_file {file}").Message);
            }
            uint owner = (uint)st.st_uid;
            if (owner != 0 && owner != geteuid())
            {
                throw new ConfigException(string.Create(CultureInfo.InvariantCulture,
                    $"password_file {file} is owned by uid {owner}, who could change it; make it root's (chown root: {file}; chmod 600 {file}) or use a systemd credential"));
            }
            if (((uint)st.st_mode & (uint)(S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)) != 0)
            {
                throw new ConfigException($"password_file {file} is readable by others; make it private (chmod 600 {file}) or use a systemd credential");
            }
            try
            {
                using var reader = new StreamReader(new FileStream(handle, FileAccess.Read, bufferSize: 0));
                return reader.ReadLine() ?? "";
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ConfigException($"cannot read {file}: {ex.Message}");
            }
        }
    }

    private static string FirstLine(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            return reader.ReadLine() ?? "";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot read {path}: {ex.Message}");
        }
    }
}
