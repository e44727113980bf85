using GpTunnel.Output;
using GpTunnel.Wrapper;

namespace GpTunnel;

/// <summary>What one line meant: the parsed line (null for wrapper report lines), a completed wrapper
/// report (if the line ended one), and the events it caused.</summary>
internal sealed record TrackedLine(OutputLine? Parsed, WrapperReport? Report, IReadOnlyList<TunnelEvent> Events);
