using GpControl;

namespace GpCtl;

/// <summary>
/// The instances `gpctl status --all` shows: those running (a subdirectory of the default daemon's runtime directory
/// with a socket, when that directory may be listed) and those configured (/etc/gpdaemon/NAME.toml, for the system's
/// own runtime directory), each once, by name.
/// </summary>
internal static class InstanceList
{
    private const string ConfigDirectory = "/etc/gpdaemon";

    public static IReadOnlyList<string> Find(string root)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string directory in Entries(() => Directory.GetDirectories(root)))
        {
            string name = Path.GetFileName(directory);
            if (InstanceName.Validate(name) is null && File.Exists(Path.Combine(directory, ControlDefaults.SocketFileName)))
            {
                names.Add(name);
            }
        }
        if (string.Equals(root, ControlDefaults.RuntimeDirectory, StringComparison.Ordinal))
        {
            foreach (string file in Entries(() => Directory.GetFiles(ConfigDirectory, "*.toml")))
            {
                string name = Path.GetFileNameWithoutExtension(file);
                if (InstanceName.Validate(name) is null)
                {
                    names.Add(name);
                }
            }
        }
        return [.. names];
    }

    // A directory that is missing or not ours to list (the runtime directory is 0711) simply shows nothing.
    private static string[] Entries(Func<string[]> list)
    {
        try
        {
            return list();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
