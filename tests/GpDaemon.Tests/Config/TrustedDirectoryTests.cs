using GpDaemon.Config;

namespace GpDaemon.Tests.Config;

/// <summary>StrictModes: run as root, as the tests are; uid 65534 (nobody) plays the other local user.</summary>
public sealed class TrustedDirectoryTests : IDisposable
{
    private const int Nobody = 65534;

    // Root-owned and private, inside sticky /tmp: a safe place, as the daemon's test directories are.
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("gpdaemon-trust-");

    private string Combine(params string[] parts) => Path.Combine([_root.FullName, .. parts]);

    [Fact]
    public void A_private_directory_under_sticky_tmp_is_safe_and_missing_ones_are_created_with_the_given_mode()
    {
        string runtime = Combine("a", "run");

        TrustedDirectory.Prepare(runtime, (UnixFileMode)0x1c9 /* 0711 */, "runtime directory");

        Assert.Equal((UnixFileMode)0x1c9, File.GetUnixFileMode(runtime));
        Assert.Null(TrustedDirectory.Problem(runtime));
    }

    [Fact]
    public void A_directory_owned_by_another_user_is_refused_naming_it()
    {
        string theirs = Combine("theirs");
        Directory.CreateDirectory(theirs);
        File.SetUnixFileMode(theirs, (UnixFileMode)0x1c0 /* 0700 */);
        Chown(theirs, Nobody);

        var ex = Assert.Throws<ConfigException>(() => TrustedDirectory.Prepare(Path.Combine(theirs, "run"), (UnixFileMode)0x1c0, "runtime directory"));

        Assert.Contains($"{theirs} is owned by uid {Nobody}", ex.Message);
        Assert.Contains("unsafe runtime directory", ex.Message);
        Assert.False(Directory.Exists(Path.Combine(theirs, "run")));
    }

    [Theory]
    [InlineData(0x1ff, "writable by others")] // 0777
    [InlineData(0x1f8, "writable by its group")] // 0770
    [InlineData(0x3ff, "writable by others")] // 1777 as the directory itself: sticky protects only parents
    public void A_directory_others_can_write_to_is_refused(int mode, string problem)
    {
        string open = Combine("open");
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, (UnixFileMode)mode);

        Assert.Contains($"{open} is {problem}", TrustedDirectory.Problem(open));
    }

    [Fact]
    public void A_root_owned_sticky_parent_is_safe_but_another_users_sticky_parent_is_not()
    {
        string sticky = Combine("sticky");
        Directory.CreateDirectory(sticky);
        File.SetUnixFileMode(sticky, (UnixFileMode)0x3ff /* 1777 */);
        string mine = Path.Combine(sticky, "mine");
        Directory.CreateDirectory(mine);
        File.SetUnixFileMode(mine, (UnixFileMode)0x1c0);

        Assert.Null(TrustedDirectory.Problem(mine));

        Chown(sticky, Nobody);
        Assert.Contains($"{sticky} is owned by uid {Nobody}", TrustedDirectory.Problem(mine));
    }

    [Fact]
    public void A_symlink_is_judged_by_where_it_leads()
    {
        string theirs = Combine("theirs");
        Directory.CreateDirectory(theirs);
        Chown(theirs, Nobody);
        string link = Combine("link");
        File.CreateSymbolicLink(link, theirs);

        Assert.Contains($"{theirs} is owned by uid {Nobody}", TrustedDirectory.Problem(link));
    }

    private static void Chown(string path, int uid)
    {
        using var chown = System.Diagnostics.Process.Start("chown", [$"{uid}", path]);
        chown.WaitForExit(10_000);
        Assert.Equal(0, chown.ExitCode);
    }

    public void Dispose() => _root.Delete(recursive: true);
}
