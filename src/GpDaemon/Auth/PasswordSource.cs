using GpDaemon.Config;

namespace GpDaemon.Auth;

/// <summary>
/// Where an unattended login (boot-time autoconnect) finds the password: a systemd credential named "password"
/// (LoadCredential=password:..., read from $CREDENTIALS_DIRECTORY), else the configured password_file, which must be
/// readable by its owner only.
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
        UnixFileMode mode;
        try
        {
            mode = File.GetUnixFileMode(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"password_file {file}: {ex.Message}");
        }
        if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
        {
            throw new ConfigException($"password_file {file} is readable by others; make it private (chmod 600 {file}) or use a systemd credential");
        }
        return FirstLine(file);
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
