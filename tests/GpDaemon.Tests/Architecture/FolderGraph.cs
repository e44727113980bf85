using System.Text.RegularExpressions;

namespace GpDaemon.Tests.Architecture;

/// <summary>
/// Which top-level folders of src/GpDaemon use which, read from the sources: a file in folder A depends on folder B when
/// it imports or names the namespace GpDaemon.B, and on the root (Program, DaemonHost and their kin) when it names a
/// type declared there, which every folder sees without an import. Comments and string literals are left out.
/// </summary>
internal sealed partial class FolderGraph
{
    /// <summary>The files directly in src/GpDaemon: the composition root, allowed to use every folder.</summary>
    public const string Root = "(root)";

    private FolderGraph(IReadOnlyDictionary<(string From, string To), IReadOnlyList<string>> edges) => Edges = edges;

    /// <summary>For each dependency, the files (relative to src/GpDaemon) that make it.</summary>
    public IReadOnlyDictionary<(string From, string To), IReadOnlyList<string>> Edges { get; }

    public static FolderGraph Read(string sourceDirectory)
    {
        var files = Directory.EnumerateFiles(sourceDirectory, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(sourceDirectory, path))
            .Where(path => !path.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !path.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(path => (Path: path, Folder: FolderOf(path), Code: WithoutCommentsAndStrings(File.ReadAllText(Path.Combine(sourceDirectory, path)))))
            .ToList();
        var folders = files.Select(f => f.Folder).Where(f => f != Root).ToHashSet();
        var rootTypes = files.Where(f => f.Folder == Root)
            .SelectMany(f => TypeDeclaration().Matches(f.Code).Select(m => m.Groups["name"].Value))
            .ToHashSet();

        var edges = new Dictionary<(string, string), List<string>>();
        foreach (var (path, folder, code) in files)
        {
            var used = NamespaceUse().Matches(code).Select(m => m.Groups["folder"].Value).Where(folders.Contains).ToHashSet();
            if (folder != Root && Identifier().Matches(code).Any(m => rootTypes.Contains(m.Value)))
            {
                used.Add(Root);
            }
            foreach (var target in used.Where(target => target != folder))
            {
                if (!edges.TryGetValue((folder, target), out var list))
                {
                    edges[(folder, target)] = list = [];
                }
                list.Add(path.Replace(Path.DirectorySeparatorChar, '/'));
            }
        }
        return new FolderGraph(edges.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value.Order(StringComparer.Ordinal).ToList()));
    }

    /// <summary>
    /// The groups of folders that reach each other (strongly connected components of more than one folder).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var next = Edges.Keys.GroupBy(e => e.From)
            .ToDictionary(g => g.Key, g => g.Select(e => e.To).Order(StringComparer.Ordinal).ToList());
        var nodes = Edges.Keys.SelectMany(e => new[] { e.From, e.To }).Distinct().Order(StringComparer.Ordinal).ToList();

        // Tarjan's algorithm; the graph has a dozen nodes, so recursion depth is no concern.
        int counter = 0;
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var components = new List<IReadOnlyList<string>>();
        void Visit(string node)
        {
            index[node] = low[node] = counter++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var target in next.GetValueOrDefault(node) ?? [])
            {
                if (!index.ContainsKey(target))
                {
                    Visit(target);
                    low[node] = Math.Min(low[node], low[target]);
                }
                else if (onStack.Contains(target))
                {
                    low[node] = Math.Min(low[node], index[target]);
                }
            }
            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                if (component.Count > 1)
                {
                    components.Add(component.Order(StringComparer.Ordinal).ToList());
                }
            }
        }
        foreach (var node in nodes.Where(n => !index.ContainsKey(n)))
        {
            Visit(node);
        }
        return components;
    }

    /// <summary>"A uses B in a.cs, b.cs".</summary>
    public string Describe((string From, string To) edge) =>
        $"{edge.From} uses {edge.To} in {string.Join(", ", Edges[edge])}";

    private static string FolderOf(string relativePath)
    {
        int separator = relativePath.IndexOf(Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return separator < 0 ? Root : relativePath[..separator];
    }

    private static string WithoutCommentsAndStrings(string code) =>
        CommentOrString().Replace(code, m => m.Value.StartsWith('/') ? " " : "\"\"");

    [GeneratedRegex(@""""""".*?""""""|//[^\n]*|/\*.*?\*/|@""(?:""""|[^""])*""|""(?:\\.|[^""\\\n])*""|'(?:\\.|[^'\\\n])+'", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();

    [GeneratedRegex(@"\bGpDaemon\.(?<folder>[A-Z][A-Za-z0-9_]*)\b")]
    private static partial Regex NamespaceUse();

    [GeneratedRegex(@"\b(?:class|struct|record|interface|enum)\s+(?!(?:class|struct)\b)(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"\b[A-Za-z_][A-Za-z0-9_]*\b")]
    private static partial Regex Identifier();
}
