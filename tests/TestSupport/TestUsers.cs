namespace GpDaemon.TestSupport;

/// <summary>Real local users and groups for the permission tests (the tests run as root, as CI does).</summary>
public static class TestUsers
{
    public const string ControlGroup = "gpdtest-ctl";
    public const string Outsider = "gpdtest-out";
    public const string Member = "gpdtest-in";

    /// <summary>A second member of the control group: another user with the same rights as <see cref="Member"/>.</summary>
    public const string OtherMember = "gpdtest-in2";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _created;

    public static async Task EnsureAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_created)
            {
                return;
            }
            if (Environment.UserName != "root")
            {
                throw new InvalidOperationException("the permission tests create users and must run as root");
            }
            await Run.ProgramAsync("groupadd", ["-f", ControlGroup]);
            foreach ((string user, string[] extra) in new[] { (Outsider, Array.Empty<string>()), (Member, new[] { "-G", ControlGroup }), (OtherMember, new[] { "-G", ControlGroup }) })
            {
                if ((await Run.ProgramAsync("id", [user])).ExitCode != 0)
                {
                    ProcessResult added = await Run.ProgramAsync("useradd", ["--no-create-home", "--shell", "/usr/sbin/nologin", .. extra, user]);
                    if (added.ExitCode != 0)
                    {
                        throw new InvalidOperationException("useradd failed: " + added);
                    }
                }
            }
            _created = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>gpctl run as another user.</summary>
    public static Task<ProcessResult> GpctlAsAsync(string user, string socket, params string[] args) =>
        GpctlAsWithInputAsync(user, socket, null, args);

    /// <summary>gpctl run as another user, with <paramref name="stdin"/> as its standard input.</summary>
    public static Task<ProcessResult> GpctlAsWithInputAsync(string user, string socket, string? stdin, params string[] args) =>
        Run.ProgramAsync("runuser", ["-u", user, "--", Binaries.Ctl, "--socket", socket, .. args], stdin,
            environment: new Dictionary<string, string?> { ["HOME"] = "/tmp", ["DOTNET_CLI_HOME"] = "/tmp" });
}
