namespace GpDaemon.Backend;

/// <summary>The operating system's name for the HIP report: PRETTY_NAME from os-release, bounded; "Linux" without one.</summary>
internal static class OsRelease
{
    private const int MaxBytes = 16 * 1024;

    public static string PrettyName(string path = "/etc/os-release")
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.None);
            var buffer = new byte[MaxBytes];
            int length = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            foreach (var line in System.Text.Encoding.UTF8.GetString(buffer, 0, length).Split('\n'))
            {
                if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                {
                    var value = GpText.UntrustedText.Clean(line["PRETTY_NAME=".Length..].Trim().Trim('"', '\''));
                    return value.Length is > 0 and <= 128 ? value : "Linux";
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No os-release: the generic name will do.
        }

        return "Linux";
    }
}
