namespace GpDaemon.Backend;

/// <summary>The HIP report script could not write a report: not trusted, not started, failed, too slow or too verbose.</summary>
internal sealed class HipScriptException(string message) : Exception(message);
