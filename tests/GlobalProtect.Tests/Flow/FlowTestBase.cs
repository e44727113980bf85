using GlobalProtect.Tests.Support;

namespace GlobalProtect.Tests.Flow;

public abstract class FlowTestBase
{
    internal const string Portal = "vpn.example.com";
    internal const string User = "alice";
    internal const string Password = "correct horse";

    internal static Task<LoginResult> LoginAsync(
        FakeGpServer server,
        LoginRequest request,
        RecordingPrompter? prompter = null,
        RecordingProgress? progress = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        server.CreateClient(timeout).LoginAsync(request, prompter ?? RecordingPrompter.None(), progress,
            cancellationToken.CanBeCanceled ? cancellationToken : Deadline.Token());

    internal static LoginRequest Request(string? user = User, string? password = Password, string? gateway = null, SavedSession? saved = null) =>
        new(Portal, user, password, gateway, saved);

    internal static string[] Steps(FakeGpServer server) => server.Requests.Select(r => $"{r.Authority}{r.Path}").ToArray();

    internal static string FormBody(string server, string tail) =>
        "jnlpReady=jnlpReady&ok=Login&direct=yes&clientVer=4100&prot=https:&internal=no&ipv6-support=yes" +
        $"&clientos=Linux&os-version=linux-64&server={server}&computer=testbox&{tail}";
}
