namespace GpBench;

/// <summary>Where the binaries are, where scratch files go, how many runs, and the target checks gathered on the way.</summary>
internal sealed record BenchContext(
    string OutDirectory,
    string? CompareDirectory,
    string WorkDirectory,
    string OpenConnect,
    bool Quick)
{
    public string Gpdaemon => Path.Combine(OutDirectory, "gpdaemon");

    public string Gpctl => Path.Combine(OutDirectory, "gpctl");

    public string FakePortal => Path.Combine(OutDirectory, "fake-globalprotect");

    public List<TargetCheck> Targets { get; } = [];

    public string Scratch(string name)
    {
        string path = Path.Combine(WorkDirectory, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Progress(string message) => Console.Error.WriteLine($"gpbench: {message}");
}

/// <summary>One of the targets, as measured.</summary>
internal sealed record TargetCheck(string Target, string Measured, bool Met);
