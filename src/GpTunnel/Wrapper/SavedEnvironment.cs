namespace GpTunnel.Wrapper;

/// <summary>
/// The environment the vpnc-script last got for connect or reconnect, recorded by the wrapper in the runtime directory
/// (a report, in the wrapper's tagged lines) and removed by its disconnect. A file still there after openconnect has
/// exited means the vpnc-script's disconnect never ran. Only the wrapper's whitelisted variables are recorded: addresses,
/// routes, DNS servers and domains, never a cookie or anything else openconnect's environment may hold.
/// </summary>
internal static class SavedEnvironment
{
    public const string FileName = "vpnc-environment";

    // A report of 256 routes in each of four lists stays far below this.
    private const int MaxBytes = 1024 * 1024;

    public static string PathIn(string runtimeDirectory) => Path.Combine(runtimeDirectory, FileName);

    /// <summary>The recorded report; null when there is none or the file is not one (then nothing can be undone).</summary>
    public static WrapperReport? Read(string path)
    {
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.LinkTarget is not null || info.Length > MaxBytes)
            {
                return null;
            }

            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return Parse(text);
    }

    /// <summary>Reads the one report in <paramref name="text"/>, whose tag (the run's nonce) its first line gives.</summary>
    public static WrapperReport? Parse(string text)
    {
        var lines = text.Split('\n');
        var first = lines[0];
        if (!first.StartsWith(WrapperScript.TagPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var space = first.IndexOf(' ', StringComparison.Ordinal);
        var nonce = space < 0 ? "" : first[WrapperScript.TagPrefix.Length..space];
        if (nonce.Length == 0 || !nonce.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        var reader = new WrapperReportReader(nonce);
        foreach (var line in lines)
        {
            if (reader.TryAccept(line, out var report) && report is not null)
            {
                return report;
            }
        }
        return null;
    }

    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
