using Serilog.Events;

namespace GpDaemon.Logging;

/// <summary>The configuration's log_level names as Serilog levels: at start and again at each reload.</summary>
internal static class LogLevelMapping
{
    public static LogEventLevel ToSerilog(string level) => level switch
    {
        "debug" => LogEventLevel.Debug,
        "warning" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        _ => LogEventLevel.Information,
    };
}
