using GpDaemon.Auth;
using GpDaemon.Config;

namespace GpDaemon.Tests.Config;

/// <summary>password_file: the file that is read is the file that was checked (run as root; uid 65534 plays another user).</summary>
public sealed class PasswordSourceTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("gpdaemon-password-");

    private string Combine(string name) => Path.Combine(_directory.FullName, name);

    private static DaemonConfig With(string file) => new() { PasswordFile = file };

    private string Write(string name, string content, int mode, int? owner = null)
    {
        string path = Combine(name);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, (UnixFileMode)mode);
        if (owner is int uid)
        {
            using var chown = System.Diagnostics.Process.Start("chown", [$"{uid}", path]);
            chown.WaitForExit(10_000);
            Assert.Equal(0, chown.ExitCode);
        }
        return path;
    }

    [Fact]
    public void A_private_root_file_is_read()
    {
        Assert.Equal("secret", PasswordSource.Read(With(Write("password", "secret\nignored\n", 0x180)), null));
    }

    [Fact]
    public void A_file_others_can_read_is_refused()
    {
        string file = Write("password", "secret\n", 0x1a4);
        Assert.Contains("readable by others", Assert.Throws<ConfigException>(() => PasswordSource.Read(With(file), null)).Message);
    }

    [Fact]
    public void A_private_file_owned_by_another_user_is_refused()
    {
        string file = Write("password", "theirs\n", 0x180, owner: 65534);
        Assert.Contains("owned by uid 65534", Assert.Throws<ConfigException>(() => PasswordSource.Read(With(file), null)).Message);
    }

    [Fact]
    public async Task A_file_swapped_under_the_path_is_never_read_unless_it_is_the_one_checked()
    {
        // The path flips between a private file and one another user owns and anyone can read. A check by path and a
        // read by path in between two flips would return the other user's content; one descriptor never does.
        string good = Write("good", "mine\n", 0x180);
        string bad = Write("bad", "theirs\n", 0x1b6, owner: 65534);
        string path = Combine("password");
        File.CreateSymbolicLink(path, good);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Task flipper = Task.Run(() =>
        {
            string next = Combine("next");
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                File.Delete(next);
                File.CreateSymbolicLink(next, i % 2 == 0 ? bad : good);
                File.Move(next, path, overwrite: true); // rename(2): the path always names one of the two
            }
        });
        int read = 0, refused = 0;
        try
        {
            // Until both outcomes were seen many times (the race was run), within the deadline.
            while ((read < 20000 || refused < 200) && !stop.IsCancellationRequested)
            {
                try
                {
                    Assert.Equal("mine", PasswordSource.Read(With(path), null));
                    read++;
                }
                catch (ConfigException)
                {
                    refused++;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await flipper;
        }
        Assert.True(read > 0 && refused > 0, $"the flips did not interleave with the reads ({read} read, {refused} refused)");
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
