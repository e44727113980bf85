using System.Text;
using System.Text.Json;
using GlobalProtect;
using GpDaemon.Logging;
using Microsoft.Extensions.Logging;

namespace GpDaemon.Backend;

/// <summary>
/// Saved login sessions (portal cookies, gateway list, the openconnect cookie) in the state directory: one file per
/// owner and portal, mode 0600 in a 0700 directory, replaced atomically. A failure to save is a warning, never a failed
/// connect. The owner (a uid) is part of the file name: one user's session is never another's.
/// </summary>
internal sealed partial class SessionStore(string directory, ILogger<SessionStore> logger)
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode SessionFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public SavedSession? Load(string owner, string portal)
    {
        string path = PathFor(owner, portal);
        try
        {
            using FileStream stream = File.OpenRead(path);
            SavedSession? session = JsonSerializer.Deserialize(stream, GlobalProtectJsonContext.Default.SavedSession);
            return session is not null && string.Equals(session.Portal, Normalize(portal), StringComparison.OrdinalIgnoreCase) ? session : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            LogUnreadable(logger, path, ex.Message);
            return null;
        }
    }

    public void Save(string owner, SavedSession session)
    {
        string path = PathFor(owner, session.Portal);
        try
        {
            Directory.CreateDirectory(directory, DirectoryMode);
            File.SetUnixFileMode(directory, DirectoryMode);
            // A fresh, unpredictable temporary name created with O_EXCL: no symlink planted beside the file is followed.
            GpTunnel.AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(session, GlobalProtectJsonContext.Default.SavedSession), SessionFileMode);
            LogSaved(logger, session.Portal, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogNotSaved(logger, session.Portal, path, ex.Message);
        }
    }

    /// <summary>Removes the owner's saved session for the portal; false when there was none.</summary>
    public bool Forget(string owner, string portal)
    {
        string path = PathFor(owner, portal);
        if (TryDelete(path))
        {
            LogForgotten(logger, portal, owner);
            return true;
        }
        return false;
    }

    /// <param name="owner">"uid" + digits: letters and digits only, so it ends at the first '-'.</param>
    private string PathFor(string owner, string portal)
    {
        if (owner.Length == 0 || !owner.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException("a session owner is letters and digits", nameof(owner));
        }
        // A file name from the portal that cannot escape the directory: keep [A-Za-z0-9.-], hex-encode the rest.
        var name = new StringBuilder("session-").Append(owner).Append('-');
        foreach (byte b in Encoding.UTF8.GetBytes(Normalize(portal)))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-')
            {
                name.Append(char.ToLowerInvariant(c));
            }
            else
            {
                name.Append('_').Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return Path.Combine(directory, name.Append(".json").ToString());
    }

    private static string Normalize(string portal)
    {
        string p = portal.Trim();
        if (p.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            p = p["https://".Length..];
        }
        return p.TrimEnd('/').ToLowerInvariant();
    }

    private static bool TryDelete(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                File.Delete(path);
                return true;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return false;
    }

    [LoggerMessage(EventId = EventIds.SessionSaved, Level = LogLevel.Debug, Message = "Saved the session for {Portal} to {Path}")]
    private static partial void LogSaved(ILogger logger, string portal, string path);

    [LoggerMessage(EventId = EventIds.SessionNotSaved, Level = LogLevel.Warning, Message = "Could not save the session for {Portal} to {Path}: {Reason}. The connection works; a later reconnect or autoconnect will have to log in again")]
    private static partial void LogNotSaved(ILogger logger, string portal, string path, string reason);

    [LoggerMessage(EventId = EventIds.SessionUnreadable, Level = LogLevel.Warning, Message = "Ignoring unreadable saved session {Path}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = EventIds.SessionForgotten, Level = LogLevel.Information, Message = "Forgot the saved session of {Owner} for {Portal}")]
    private static partial void LogForgotten(ILogger logger, string portal, string owner);
}
