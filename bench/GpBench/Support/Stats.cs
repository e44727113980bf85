using System.Diagnostics;

namespace GpBench.Support;

/// <summary>Order statistics of a sample of durations.</summary>
internal sealed record Stats(int Count, double MinMs, double P10Ms, double MedianMs, double P90Ms, double P99Ms, double MaxMs, double MeanMs)
{
    public static Stats FromMilliseconds(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        if (sorted.Length == 0)
        {
            return new Stats(0, 0, 0, 0, 0, 0, 0, 0);
        }
        return new Stats(sorted.Length, sorted[0], At(sorted, 0.10), At(sorted, 0.50), At(sorted, 0.90), At(sorted, 0.99), sorted[^1], sorted.Average());
    }

    public static Stats FromTicks(IEnumerable<long> stopwatchTicks) =>
        FromMilliseconds(stopwatchTicks.Select(t => t * 1000.0 / Stopwatch.Frequency));

    /// <summary>Nearest-rank percentile.</summary>
    private static double At(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
