using System.Text.Json;

namespace GpBench.Support;

/// <summary>Runs hyperfine (without a shell, so nothing but the command is timed) and reads its JSON export.</summary>
internal static class Hyperfine
{
    public sealed record Result(string Command, Stats Wall, double MeanUserMs, double MeanSystemMs)
    {
        public double MeanCpuMs => MeanUserMs + MeanSystemMs;
    }

    public static async Task<IReadOnlyList<Result>> RunAsync(IReadOnlyList<string> commands, int warmup, int runs, string workDirectory, CancellationToken cancellationToken)
    {
        string export = Path.Combine(workDirectory, "hyperfine.json");
        List<string> arguments = ["--shell=none", "--ignore-failure", "--style", "none", "--warmup", warmup.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--runs", runs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--export-json", export, .. commands];
        await using Child hyperfine = Child.Start("hyperfine", arguments);
        int exit = await hyperfine.WaitForExitAsync(TimeSpan.FromMinutes(10), cancellationToken).ConfigureAwait(false);
        if (exit != 0)
        {
            throw new InvalidOperationException($"hyperfine failed ({exit}):\n{hyperfine.Output}");
        }
        using JsonDocument json = JsonDocument.Parse(await File.ReadAllBytesAsync(export, cancellationToken).ConfigureAwait(false));
        var results = new List<Result>();
        foreach (JsonElement result in json.RootElement.GetProperty("results").EnumerateArray())
        {
            Stats wall = Stats.FromMilliseconds(result.GetProperty("times").EnumerateArray().Select(t => t.GetDouble() * 1000));
            results.Add(new Result(result.GetProperty("command").GetString() ?? "",
                wall, result.GetProperty("user").GetDouble() * 1000, result.GetProperty("system").GetDouble() * 1000));
        }
        return results;
    }
}
