using System.Security.Cryptography;
using System.Text;

namespace GpCtl;

/// <summary>
/// A POST sign-in's page as a local file the browser can open: the portal's form plus a line that submits it. The
/// file is the user's own (0600), created new (O_EXCL: an existing file or link is never written through), in
/// <c>$XDG_RUNTIME_DIR</c> when there is one; it is deleted when gpctl is done.
/// </summary>
internal sealed class SignInPage : IDisposable
{
    private SignInPage(string path) => FilePath = path;

    public string FilePath { get; }

    public string Uri => new Uri(FilePath).AbsoluteUri;

    public static SignInPage Create(string form)
    {
        string? runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        string directory = !string.IsNullOrEmpty(runtime) && Directory.Exists(runtime) ? runtime : Path.GetTempPath();
        string path = Path.Combine(directory, $"gpctl-sign-in-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.html");
        using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        file.Write(Encoding.UTF8.GetBytes(form));
        file.Write("\n<script>if (document.forms.length) document.forms[0].submit();</script>\n"u8);
        return new SignInPage(path);
    }

    public void Dispose()
    {
        try
        {
            File.Delete(FilePath);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
