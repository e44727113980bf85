namespace GlobalProtect.Tests.Fuzz;

/// <summary>
/// Real response shapes (Fuzz/corpus in the repository): what portals and gateways answer, the seeds the mutations
/// start from. Found from the test binary by walking up to the repository root.
/// </summary>
internal static class FuzzCorpus
{
    private static readonly Lazy<IReadOnlyList<(string Name, string Text)>> Files = new(Load);

    public static IReadOnlyList<(string Name, string Text)> All => Files.Value;

    public static IEnumerable<(string Name, string Text)> Named(string prefix) =>
        All.Where(f => f.Name.StartsWith(prefix, StringComparison.Ordinal));

    public static string Directory { get; } = FindDirectory();

    private static List<(string, string)> Load() =>
        [.. System.IO.Directory.GetFiles(Directory).Order(StringComparer.Ordinal).Select(p => (Path.GetFileName(p), File.ReadAllText(p)))];

    private static string FindDirectory()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "GlobalProtect.Tests", "Fuzz", "corpus");
            if (File.Exists(Path.Combine(dir.FullName, "GpDaemon.sln")) && System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("cannot find tests/GlobalProtect.Tests/Fuzz/corpus above " + AppContext.BaseDirectory);
    }
}
