namespace GpDaemon.Tests.Architecture;

/// <summary>
/// The folders of src/GpDaemon depend on each other one way only, so that each can be read, changed and tested from
/// its own dependencies down. A type both sides need belongs to the folder that owns its concept; the composition
/// root (Program, DaemonHost) ties the folders together and no folder uses it.
/// </summary>
public sealed class FolderDependencyTests
{
    private static readonly FolderGraph Graph = FolderGraph.Read(SourceDirectory());

    [Fact]
    public void No_two_folders_depend_on_each_other()
    {
        var cycles = Graph.Edges.Keys
            .Where(e => string.CompareOrdinal(e.From, e.To) < 0 && Graph.Edges.ContainsKey((e.To, e.From)))
            .Select(e => $"{e.From} <-> {e.To}: {Graph.Describe(e)}; {Graph.Describe((e.To, e.From))}")
            .ToList();
        Assert.True(cycles.Count == 0, "Folders that depend on each other (move the type to the folder that owns its concept):\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void No_folders_depend_on_each_other_through_others()
    {
        var cycles = Graph.Cycles()
            .Select(members => string.Join(", ", members) + " reach each other: " + string.Join("; ",
                Graph.Edges.Keys.Where(e => members.Contains(e.From) && members.Contains(e.To)).Order().Select(Graph.Describe)))
            .ToList();
        Assert.True(cycles.Count == 0, "Folders that reach each other (break the cycle where a type sits in the wrong folder):\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void The_reader_sees_imports_qualified_names_and_root_types_and_skips_comments()
    {
        string tree = Path.Combine(Path.GetTempPath(), "gpdaemon-folders-" + Guid.NewGuid().ToString("N"));
        try
        {
            Write(tree, "Host.cs", "using GpDaemon.A;\nnamespace GpDaemon;\ninternal static class Host { public const int Level = 1; }");
            Write(tree, "A/Alpha.cs", "using GpDaemon.B;\nnamespace GpDaemon.A;\ninternal sealed class Alpha { int level = Host.Level; }");
            Write(tree, "B/Beta.cs", "namespace GpDaemon.B;\ninternal sealed class Beta { GpDaemon.C.Gamma? g; }");
            Write(tree, "C/Gamma.cs", "namespace GpDaemon.C;\n// GpDaemon.A and Host, in a comment\ninternal sealed class Gamma { string s = \"GpDaemon.B Host\"; }");

            var graph = FolderGraph.Read(tree);

            Assert.Equal(
                [("(root)", "A"), ("A", "(root)"), ("A", "B"), ("B", "C")],
                graph.Edges.Keys.OrderBy(e => e.From == FolderGraph.Root ? 0 : 1).ThenBy(e => e.From).ThenBy(e => e.To));
            Assert.Equal(["A/Alpha.cs"], graph.Edges[("A", FolderGraph.Root)]);
            Assert.Equal([["(root)", "A"]], graph.Cycles());
        }
        finally
        {
            Directory.Delete(tree, recursive: true);
        }
    }

    private static void Write(string tree, string path, string code)
    {
        string full = Path.Combine(tree, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, code);
    }

    private static string SourceDirectory()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "src", "GpDaemon");
            if (File.Exists(Path.Combine(candidate, "GpDaemon.csproj")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("cannot find src/GpDaemon above " + AppContext.BaseDirectory);
    }
}
