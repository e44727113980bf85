namespace GpTunnel;

/// <summary>Result of the start-up check for an openconnect left by a previous daemon.</summary>
/// <param name="Outcome">What was found and done.</param>
/// <param name="ProcessId">The pid named by the pid file, when it named one.</param>
/// <param name="Message">A sentence for the log.</param>
public sealed record LeftoverResult(LeftoverOutcome Outcome, int? ProcessId, string Message);
