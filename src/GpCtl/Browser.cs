using System.ComponentModel;
using System.Diagnostics;

namespace GpCtl;

/// <summary>
/// Opens a sign-in page in the user's own browser: <c>$BROWSER</c> when set, else <c>xdg-open</c>. Never as root: a
/// browser started by root would run outside the user's session, with root's rights.
/// </summary>
internal static class Browser
{
    /// <summary>True when a browser was started; else why not, for the user.</summary>
    public static bool TryOpen(string target, out string reason)
    {
        if (Environment.IsPrivilegedProcess)
        {
            reason = Environment.GetEnvironmentVariable("SUDO_USER") is { Length: > 0 } user
                ? $"gpctl runs as root under sudo; open it as {user}, or run gpctl without sudo"
                : "gpctl runs as root, and a browser must run as you";
            return false;
        }

        string? configured = Environment.GetEnvironmentVariable("BROWSER");
        List<string> command;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            // $BROWSER may list several commands separated by ':' (the first is used), each with an optional %s.
            command = [.. configured.Split(':')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)];
            int placeholder = command.FindIndex(part => part.Contains("%s", StringComparison.Ordinal));
            if (placeholder >= 0)
            {
                command[placeholder] = command[placeholder].Replace("%s", target, StringComparison.Ordinal);
            }
            else
            {
                command.Add(target);
            }
        }
        else if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")) &&
                 string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY")))
        {
            reason = "no graphical session here";
            return false;
        }
        else
        {
            command = ["xdg-open", target];
        }

        if (command.Count < 2)
        {
            reason = "$BROWSER is empty";
            return false;
        }

        // The browser outlives gpctl and must not write over its terminal: its stdio is /dev/null. The target is an
        // argument, never part of the shell text.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" </dev/null >/dev/null 2>&1");
        foreach (string part in command)
        {
            start.ArgumentList.Add(part);
        }

        try
        {
            using Process? process = Process.Start(start);
            reason = "";
            return process is not null;
        }
        catch (Win32Exception e)
        {
            reason = $"{command[0]} could not be started ({e.Message})";
            return false;
        }
    }
}
